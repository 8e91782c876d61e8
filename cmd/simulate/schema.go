package main

import (
	"github.com/spf13/cobra"

	"simulate/internal/output"
	"simulate/scenario/schema"
)

func newSchemaCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the scenario format, for editors",
		Long: `schema prints the JSON Schema (draft 2020-12) of scenario files, generated
from the program's own types: every key with its description, the allowed
values of enumerations, numeric bounds and name patterns. An editor with a
YAML language server (VS Code's YAML extension, for one) then completes keys,
shows their documentation and marks wrong types, unknown keys and values out
of range as you type. Put this first line in a scenario file:

  # yaml-language-server: $schema=./scenario.schema.json

The schema checks each value on its own; 'simulate validate' also checks what
relates several values (seats summing to the quota, shares summing to 1, the
lists that can be filled).`,
		Example: `  simulate schema --out scenario.schema.json
  simulate schema | jq '.properties | keys'`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("schema takes no arguments, got %q (write to a file with --out)", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			data, err := schema.Generate()
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = cmd.OutOrStdout().Write(data)
				return err
			}
			return output.WriteFile(out, data)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the schema to this file instead of stdout")
	return cmd
}

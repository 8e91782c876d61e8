#!/usr/bin/env bash
# Run a `simulate sweep` split into shards as a Slurm job array, then merge.
#
#   bash deploy/slurm-array.sh            # submits the array and a merge job that waits for it
#   sbatch --array=1-8 deploy/slurm-array.sh   # or submit the array yourself
#
# Each array task k runs shard k/SHARDS of the sweep into $OUT/part-k.csv.
# A task that is requeued, preempted (SIGTERM) or resubmitted continues its
# own file thanks to --resume; finished points are never recomputed. When
# every task has finished, `simulate merge` joins the parts into exactly the
# file a single machine would have written, and draws the plot.
#
# Settings (environment variables, all optional):
#   SIMULATE  the simulate binary      (default: simulate on PATH)
#   SHARDS    number of array tasks    (default: 8; at most the number of points)
#   OUT       directory for the parts and the merged result (default: results)
#   TRIALS    trials per point         (default: 1000)
#   SEED      base seed                (default: 20221016, the scenario's)
#
#SBATCH --job-name=simulate-sweep
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=02:00:00
#SBATCH --output=simulate-sweep-%A_%a.log
#SBATCH --signal=B:TERM@60
set -euo pipefail

SIMULATE=${SIMULATE:-simulate}
SHARDS=${SHARDS:-8}
OUT=${OUT:-results}
TRIALS=${TRIALS:-1000}
SEED=${SEED:-20221016}

# The sweep: the same on every task. Edit here (the scenario, --vary,
# --share-target, --set ...); every shard must run the very same command.
SWEEP=(sweep cpc20
  --vary 'stages[name=election].elect.surplus=0.0125:0.25:0.0125'
  --share-target 'women>=0.27'
  --trials "$TRIALS" --seed "$SEED" --quiet)

if [[ -z "${SLURM_ARRAY_TASK_ID:-}" ]]; then
  # Not inside an array task: submit the array, then the merge after it.
  mkdir -p "$OUT"
  jid=$(sbatch --parsable --array="1-$SHARDS" --export=ALL "$0")
  echo "submitted array job $jid ($SHARDS tasks)"
  sbatch --parsable --dependency="afterok:$jid" --job-name=simulate-merge \
    --output="simulate-merge-%j.log" --export=ALL \
    --wrap "\"$SIMULATE\" merge \"$OUT\"/part-*.csv --plot \"$OUT/sweep.svg\" > \"$OUT/sweep.csv\""
  exit 0
fi

k=$SLURM_ARRAY_TASK_ID
mkdir -p "$OUT"
workers=${SLURM_CPUS_PER_TASK:-0}
# exec: Slurm's SIGTERM (60 s before the time limit, preemption, scancel)
# reaches simulate, which keeps every finished point and exits with status 1;
# resubmit the task (sbatch --array=K deploy/slurm-array.sh) and it resumes.
exec "$SIMULATE" "${SWEEP[@]}" --workers "$workers" --shard "$k/$SHARDS" --out "$OUT/part-$k.csv" --resume

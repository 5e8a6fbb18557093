#!/usr/bin/env bash
# Checks `llmlab fit` against reality: for synthetic models of real shapes, the inference estimate next to the
# peak resident memory (VmHWM, as /usr/bin/time reports it) of `llmlab generate` at the same context, and the
# error. Prints a Markdown table (the one recorded in docs/ARCHITECTURE.md).
#
#   scripts/measure-memory.sh [RUNS]          RUNS generate runs per row, the median is reported (default 3)
#
# Models are written once to $LLMLAB_MEASURE_DIR (default /tmp/llmlab-memory, about 4.5 GB) with `llmlab synth`.
# Needs /usr/bin/time (GNU time) and jq.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LLMLAB="${LLMLAB:-$ROOT/llmlab}" # another launcher (e.g. a copy of a built tree) may be given
RUNS="${1:-3}"
DIR="${LLMLAB_MEASURE_DIR:-/tmp/llmlab-memory}"
# shape, type, contexts (GPT-2 has 1024 learned positions: 2048 is refused by fit and generate alike)
ROWS=(
    "gpt2-124m F32 512 1024 2048" "gpt2-124m F16 512 1024 2048"
    "qwen2.5-0.5b Q8_0 512 2048"
    "tinyllama-1.1b Q4_0 512 2048" "tinyllama-1.1b Q8_0 512 2048"
)

for tool in /usr/bin/time jq; do
    command -v "$tool" >/dev/null || { echo "measure-memory: needs $tool" >&2; exit 1; }
done
mkdir -p "$DIR"

# Peak resident memory of one generate run, in bytes.
peak_bytes() {
    local file="$1" context="$2" log status=0
    log="$(mktemp)"
    /usr/bin/time -f "%M" -o "$log" "$LLMLAB" generate --model "$file" --context "$context" \
        --prompt "Once upon a time there was a" --max-tokens 16 --temperature 0 >/dev/null 2>&1 || status=$?
    if (( status == 0 )); then
        echo $(( $(tail -n 1 "$log") * 1024 ))
    fi
    rm -f "$log"
    return "$status"
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

mb() {
    awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'
}

echo "| model | type | context | estimate (MB) | measured peak RSS (MB, median of $RUNS) | error |"
echo "|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do
    read -r like type contexts <<<"$row"
    file="$DIR/$like-$type.gguf"
    if [[ ! -f "$file" ]]; then
        "$LLMLAB" synth "$file" --like "$like" --type "$type" >/dev/null 2>&1
    fi
    for context in $contexts; do
        fit_err="$(mktemp)"
        if ! estimate="$("$LLMLAB" fit "$file" --context "$context" --no-hub --json 2>"$fit_err" | jq -r '.inference_bytes')" \
                || [[ -z "$estimate" ]]; then
            refusal="$(grep -o 'error: .*' "$fit_err" | head -n 1)"
            rm -f "$fit_err"
            generate="$( (peak_bytes "$file" "$context" >/dev/null && echo "ran") || echo "refused too")"
            echo "| $like | $type | $context | fit: ${refusal:-failed} | generate: $generate | |"
            continue
        fi
        rm -f "$fit_err"
        measured="$(for _ in $(seq "$RUNS"); do peak_bytes "$file" "$context"; done | median)"
        error="$(awk -v e="$estimate" -v m="$measured" 'BEGIN { printf "%+.1f%%", (e - m) * 100 / m }')"
        echo "| $like | $type | $context | $(mb "$estimate") | $(mb "$measured") | $error |"
    done
done

#!/usr/bin/env bash
# llmlab vs llama.cpp, side by side on the same GGUF files and machine (issue 7).
# For each model: one JVM that loads it into memory in both engines (llmlab LoadMode.READ, llama.cpp --no-mmap,
# through the de.kherud:llama binding), runs pp128, pp512 and tg64 alternating engine by engine, REPS times after
# a warm-up (pp128 and tg64 once per engine), and prints median ± sd tokens/s, the ratio llmlab/llama.cpp and, for
# generation, the share of the machine's streaming read bandwidth each engine reaches (weights read per token x
# t/s / GB/s measured in that JVM).
# Models are synthetic (random weights, real shapes) written to $DIR unless they already exist.
# For one model file, `./llmlab bench --model FILE --compare llama.cpp` runs the same side-by-side JVM.
# Usage: scripts/bench-vs-llamacpp.sh [THREADS=2] [REPS=3]
#   env: DIR=/tmp, KEEP=1 (keep the models), ONLY=tl-q4_0,gpt2-f32 (a subset), PROMPTS=128,512, GEN=64
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS="${1:-2}"
REPS="${2:-3}"
DIR="${DIR:-/tmp}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$ROOT"
JAR="$ROOT/llmlab-bench/target/benchmarks.jar"
if [[ ! -f "$JAR" || -n "$(find llmlab-core/src llmlab-bench/src -newer "$JAR" -type f -print -quit)" ]]; then
    ./mvnw -o -q -pl llmlab-core,llmlab-bench -am -DskipTests package >&2
fi

# name | synth shape | type | llama-bench figures from the issue (pp128 / tg, native AVX-512 VNNI build)
MODELS=(
    "tl-f16|tinyllama-1.1b|F16|145 / 20.1"
    "tl-q8_0|tinyllama-1.1b|Q8_0|111 / 27.9"
    "tl-q4_0|tinyllama-1.1b|Q4_0|214 / 49.2"
    "tl-q4_k_m|tinyllama-1.1b|Q4_K_M|148 / 50.9"
    "gpt2-f32|gpt2-124m|F32|999 / 93"
    "qwen-q8_0|qwen2.5-0.5b|Q8_0|276 / 47"
)
ROWS=()
NOTES=()
for spec in "${MODELS[@]}"; do
    IFS='|' read -r name like type issue <<<"$spec"
    [[ -z "${ONLY:-}" || ",$ONLY," == *",$name,"* ]] || continue
    file="$DIR/perf-$name.gguf"
    [[ -f "$file" ]] || ./llmlab synth "$file" --like "$like" --type "$type" >&2
    out="$("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
        -XX:+UseSerialGC -cp "$JAR" dev.llmlab.bench.SideBySide "$file" --threads "$THREADS" --reps "$REPS" \
        --prompts "${PROMPTS:-128,512}" --gen "${GEN:-64}" 2>/dev/null)"
    NOTES+=("$(echo "$out" | grep '^#')")
    while IFS= read -r row; do
        case "$row" in
            *"| pp128 |"*) figure="${issue% / *}" ;;
            *"| tg"*) figure="${issue#* / }" ;;
            *) figure="" ;;
        esac
        vs=""
        if [[ -n "$figure" ]]; then
            vs="$(awk -F'|' -v f="$figure" '{printf "%.2f", $4 / f}' <<<"$row")"
        fi
        ROWS+=("$row $figure | $vs |")
    done < <(echo "$out" | grep '^|' | grep -v -e '^| model |' -e '^|---')
    [[ -n "${KEEP:-}" ]] || rm -f "$file"
done
echo
echo "threads=$THREADS, weights in memory (llmlab READ, llama.cpp --no-mmap), median ± sd of $REPS runs after a warm-up (pp128, tg64)"
printf '%s\n' "${NOTES[@]}"
echo
echo "| model | test | llmlab t/s | llama.cpp (binding) t/s | ratio | weights read llmlab / llama.cpp (share of the measured read bandwidth) | issue's llama-bench (native, VNNI) t/s | llmlab / issue |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"

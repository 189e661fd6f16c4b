#!/usr/bin/env bash
# Desktop-app benchmark: time to first frame, peak memory and idle CPU of Warroom against a minimal
# bevy_egui window built in the same run with the same Bevy features and profile.
#
#   bash benches/app-window.sh            # release build (as shipped); BENCH_PROFILE=dev for debug
#
# Needs: Xvfb, the software Vulkan driver (mesa-vulkan-drivers), GNU time (`/usr/bin/time`), xdotool.
#   apt-get install -y xvfb mesa-vulkan-drivers time xdotool
# Method:
# - time to first frame: from exec until the window is mapped and has drawn (xdotool sees a mapped
#   window whose title matches), median of 3 runs;
# - peak memory: GNU time's maximum resident set size over a 15 s run;
# - idle CPU: CPU seconds (utime + stime from /proc) consumed during 10 s with no input, after a 5 s
#   warm-up, as a percentage of one core; for Warroom on every screen a person leaves open (each
#   reached by a tour in benches/idle/ that ends with `settle`), and with the drill clock running.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${BENCH_PROFILE:-release}"
if [[ "$profile" == "release" ]]; then
    cargo build --release --bin warroom --example minimal_window
    dir=target/release
else
    cargo build --bin warroom --example minimal_window
    dir=target/debug
fi
# The Author screen's folder: the reference plan, one scenario and three of its scripts.
rm -rf target/bench-author && mkdir -p target/bench-author/decisions
cp scenarios/responsibilities.ron scenarios/ransomware-file-server.ron target/bench-author/
cp tests/fixtures/decisions/ransomware-file-server/{exemplary,natural,legal-too-late}.ron \
    target/bench-author/decisions/
display=":93"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 2
export DISPLAY="$display"
export XDG_RUNTIME_DIR="$(mktemp -d)"
tick=$(getconf CLK_TCK)

first_frame() { # binary, window-title pattern → seconds
    local start end pid
    start=$(date +%s.%N)
    "$1" >/dev/null 2>&1 &
    pid=$!
    until xdotool search --name "$2" >/dev/null 2>&1; do sleep 0.02; done
    end=$(date +%s.%N)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    python3 -c "print(f'{$end - $start:.2f}')"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() { # name, binary, title pattern, extra arguments…
    local name=$1 bin=$2 title=$3 runs=() pid before after rss
    shift 3
    for _ in 1 2 3; do runs+=("$(first_frame "$bin" "$title")"); done
    local median
    median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
    WARROOM_DATA_DIR="$(mktemp -d)" /usr/bin/time -f '%M' -o /tmp/bench-rss "$bin" "$@" >/dev/null 2>&1 &
    local time_pid=$!
    sleep 5
    pid=$(pgrep -n -f "^$bin")
    before=$(cpu_ticks "$pid")
    sleep 10
    after=$(cpu_ticks "$pid")
    kill "$pid"; wait "$time_pid" 2>/dev/null || true
    rss=$(cat /tmp/bench-rss | tail -1)
    python3 - "$name" "$median" "$rss" "$before" "$after" "$tick" <<'PY'
import sys
name, first, rss, before, after, tick = sys.argv[1:]
cpu = (int(after) - int(before)) / int(tick) / 10 * 100
print(f"| {name} | {first} s | {int(rss) / 1024:.0f} MB | {cpu:.1f} % |")
PY
}

echo "| window ($profile) | time to first frame | peak RSS | idle CPU (10 s) |"
echo "|---|---|---|---|"
measure "minimal bevy_egui" "$PWD/$dir/examples/minimal_window" "minimal_window"
measure "Warroom (title screen)" "$PWD/$dir/warroom" "Warroom"
for state in picker play console debrief author drill; do
    measure "Warroom ($state)" "$PWD/$dir/warroom" "Warroom" --tour "benches/idle/$state.ron"
done

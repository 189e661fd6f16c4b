#!/usr/bin/env bash
# Runs the app in a real window under Xvfb with the software Vulkan driver through the screenshot
# tour in .ci/tour.ron, and fails if any expected screenshot is missing or blank. Uses the debug
# binary `cargo test` already built (pass another with WARROOM_BIN).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${WARROOM_BIN:-${CARGO_TARGET_DIR:-target}/debug/warroom}"
tour=".ci/tour.ron"
out="target/tour"
expected=(1-title 2-library 3-play-feedback 4-play-board 5-debrief 6-quiz-feedback 7-progress
          8-console 9-projector 11-hotwash 12-play-1024 13-play-1024-2x 14-play-light
          15-console-room 16-projector-room 17-console-1024-2x 18-hotwash-1024-2x
          19-debrief-1024-2x 20-play-board-1024-2x 21-author-grid-1024
          22-author-preview-1024 23-author-timeline-1024 24-author-readiness-1024-2x
          25-author-grid-1024-2x 26-author-scenario-1024 27-author-scenario-1024-2x
          28-author-timeline-1024-2x)
# Screenshots that must be one flat colour (the blanked projector).
expected_blank=(10-projector-blank)

[[ -x "$bin" ]] || cargo build
# A content folder for the Author screen: the reference plan, one scenario, three of its scripts.
author="target/tour-author"
rm -rf "$author" && mkdir -p "$author/decisions"
cp scenarios/responsibilities.ron scenarios/ransomware-file-server.ron "$author/"
cp tests/fixtures/decisions/ransomware-file-server/{exemplary,natural,legal-too-late}.ron \
    "$author/decisions/"
rm -rf "$out" && mkdir -p "$out"
rm -f screenshot-*.png

display=":97"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null || true' EXIT
sleep 2

runtime_dir="$(mktemp -d)"
chmod 700 "$runtime_dir"
# A fresh data folder (progress, saves, settings), so the tour never touches a real learner's data.
data_dir="$(mktemp -d)"
DISPLAY="$display" XDG_RUNTIME_DIR="$runtime_dir" WARROOM_DATA_DIR="$data_dir" \
    WARROOM_PROFILE=tour timeout 600 "$bin" --tour "$tour" >"$out/app.log" 2>&1 || {
        echo "the app failed during the tour; log:"; tail -40 "$out/app.log"; exit 1;
    }

status=0
# check NAME want_blank: the screenshot must exist; a blank (single-colour) frame has no spread in
# its grey levels, which is wrong for every screen except a blanked projector.
check() {
    local file="screenshot-$1.png" want_blank="$2" spread blank
    if [[ ! -s "$file" ]]; then
        echo "MISSING screenshot $file"; status=1; return
    fi
    spread="$(convert "$file" -colorspace Gray -format '%[fx:standard_deviation]' info:)"
    blank="$(python3 -c "print(1 if float('$spread') <= 0.02 else 0)")"
    if [[ "$blank" == "$want_blank" ]]; then
        echo "ok      $file (grey spread $spread)"
    elif [[ "$blank" == 1 ]]; then
        echo "BLANK   $file (grey spread $spread)"; status=1
    else
        echo "SHOWING $file should be blank (grey spread $spread)"; status=1
    fi
    mv "$file" "$out/"
}
for name in "${expected[@]}"; do check "$name" 0; done
for name in "${expected_blank[@]}"; do check "$name" 1; done
exit "$status"

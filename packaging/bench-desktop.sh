#!/usr/bin/env bash
# `make bench`, the desktop part: the .deb's size, its installed size, cold start to first paint
# and idle memory of the installed binary (release build, from the .deb) on an Xvfb display.
# Usage: bench-desktop.sh PACKAGE.deb|BINARY [RUNS]  (a binary: the same starts, without the package lines)
#
# First paint: the webview's load event for the UI (Tauri's page-load hook, logged by the app as
# "page loaded"), by which the UI's script has run and drawn its first screen; the window being
# mapped (xdotool) is printed beside it. Each run is a fresh process with a fresh data folder
# ("cold" for the app; the OS file cache stays warm after the first run, so run 1 is shown apart).
# Idle memory: 5 s after first paint, the proportional set size (PSS, shared pages split fairly)
# summed over the app and every process it started (WebKit's web and network processes), from
# /proc/PID/smaps_rollup; RSS summed beside it (counts shared libraries once per process), and the
# anonymous part of the PSS (heaps, JIT: what the app itself costs; the rest is clean pages of the
# mapped libraries and binary, shared with every other GTK/WebKit program and reclaimable).
# The last start's anonymous memory is also shown by what holds it: heap and JavaScript, or the
# relocated pages of a library (libLLVM, WebKit, flite: README *Benchmarks → The installed app*).
set -euo pipefail
deb=$(realpath "$1") runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${BENCH_INSIDE:-}" ]; then
  exec env BENCH_INSIDE=1 "$here/../tests/support/with-keyring.sh" \
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$@"
fi
work=$(mktemp -d)
app_pid=
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
case $deb in
  *.deb) dpkg -x "$deb" "$work/root"; binary=$work/root/usr/bin/bulk-collect ;;
  *) binary=$deb deb= ;;
esac

now_ms() { date +%s%3N; }
descendants() { # the pid and all its descendants
  local pid=$1 child
  echo "$pid"
  # shellcheck disable=SC2013 # the file is one line of space-separated pids
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do descendants "$child"; done
}
sum_kib() { # $1: field of smaps_rollup (Pss, Rss); $2..: pids
  local field=$1 total=0 pid value
  shift
  for pid in "$@"; do
    value=$(awk -v f="$field:" '$1 == f {print $2}' /proc/"$pid"/smaps_rollup 2>/dev/null || echo 0)
    total=$((total + ${value:-0}))
  done
  echo "$total"
}

held_by() { # a process's name, then its anonymous memory (MiB) grouped by the mapping that holds it
  awk -v name="$(basename "$(readlink /proc/"$1"/exe 2>/dev/null || echo "?")")" -v exe="$(readlink /proc/"$1"/exe 2>/dev/null)" '
    /^[0-9a-f]+-[0-9a-f]+ / {
      f = $6; c = "libraries"
      if (f == "" || f ~ /^\[/) c = "heap+JS"; else if (f ~ /libLLVM/) c = "LLVM"
      else if (f ~ /_dri|glapi|EGL_mesa|GLX_mesa|gbm/) c = "Mesa"; else if (f ~ /flite/) c = "flite"
      else if (f ~ /webkit2gtk|javascriptcore/) c = "WebKit"; else if (f == exe) c = "binary"
    }
    /^Anonymous:/ { kib[c] += $2 }
    END { printf "%s", name; for (c in kib) printf " %s %.1f", c, kib[c] / 1024 }' /proc/"$1"/smaps 2>/dev/null || true
}

deb_bytes=0 installed_kib=0
if [ -n "$deb" ]; then deb_bytes=$(stat -c %s "$deb"); installed_kib=$(dpkg-deb --field "$deb" Installed-Size); fi
binary_bytes=$(stat -c %s "$binary")

declare -a windows paints pss anon rss procs each
for run in $(seq 1 "$runs"); do
  mkdir -p "$work/data$run"
  start=$(now_ms)
  # Update checks point at a closed local port: no request leaves the machine.
  BULK_COLLECT_DATA_DIR=$work/data$run BULK_COLLECT_LOG=info \
    BULK_COLLECT_UPDATE_ENDPOINT=http://127.0.0.1:9/latest.json \
    "$binary" > "$work/log$run" 2>&1 &
  app_pid=$!
  window='' paint=''
  while [ -z "$paint" ] || [ -z "$window" ]; do
    [ -n "$window" ] || ! xdotool search --onlyvisible --name '^Bulk Collect$' > /dev/null 2>&1 || window=$(($(now_ms) - start))
    [ -n "$paint" ] || ! grep -q 'page loaded' "$work/log$run" || paint=$(($(now_ms) - start))
    if [ $(($(now_ms) - start)) -gt 30000 ]; then cat "$work/log$run"; echo "no first paint within 30 s" >&2; exit 1; fi
    sleep 0.01
  done
  sleep 5
  mapfile -t tree < <(descendants "$app_pid")
  windows+=("$window") paints+=("$paint") procs+=("${#tree[@]}")
  pss+=("$(sum_kib Pss "${tree[@]}")") anon+=("$(sum_kib Pss_Anon "${tree[@]}")")
  rss+=("$(sum_kib Rss "${tree[@]}")")
  # Each process: its name, then PSS / anonymous (MiB), e.g. "bulk-collect 95.1/32.1".
  line=
  for pid in "${tree[@]}"; do
    name=$(basename "$(readlink /proc/"$pid"/exe 2>/dev/null || echo "?")")
    line+="${name#WebKit} $(awk -v p="$(sum_kib Pss "$pid")" -v a="$(sum_kib Pss_Anon "$pid")" 'BEGIN {printf "%.1f/%.1f", p / 1024, a / 1024}'); "
  done
  each+=("$line")
  # Each process's private (anonymous) memory by the mapping that holds it (last run).
  held=
  for pid in "${tree[@]}"; do held+="$(held_by "$pid"); "; done
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
warm_paints=("${paints[@]:1}") warm_windows=("${windows[@]:1}")
[ "${#warm_paints[@]}" -gt 0 ] || { warm_paints=("${paints[@]}"); warm_windows=("${windows[@]}"); }
paint_ms=$(median "${warm_paints[@]}") idle_pss=$(median "${pss[@]}")
verdict() { if awk -v v="$1" -v g="$2" 'BEGIN {exit !(v <= g)}'; then echo met; else echo "NOT met"; fi; }

echo
echo "Desktop app (release build from ${deb:-the binary $binary}; $runs runs; $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg))"
printf '| %-38s | %-22s | %-10s | %-28s |\n' "what" "measured" "goal" "reference"
printf '|%s|%s|%s|%s|\n' "----------------------------------------" "------------------------" "------------" "------------------------------"
[ -z "$deb" ] || printf '| %-38s | %-22s | %-10s | %-28s |\n' ".deb size" "$(awk -v b="$deb_bytes" 'BEGIN {printf "%.1f MB", b / 1e6}')" "<= 15 MB" "Electron apps: 100 MB+" 
[ -z "$deb" ] || printf '| %-38s | %-22s | %-10s | %-28s |\n' "installed size (dpkg Installed-Size)" "$(mib "$installed_kib") MiB" "" "binary $(awk -v b="$binary_bytes" 'BEGIN {printf "%.1f MB", b / 1e6}')"
printf '| %-38s | %-22s | %-10s | %-28s |\n' "first start: window mapped / painted" "${windows[0]} ms / ${paints[0]} ms" "<= 1000 ms" "run 1 (OS file cache cold-ish)"
printf '| %-38s | %-22s | %-10s | %-28s |\n' "start, median of the others: mapped / painted" "$(median "${warm_windows[@]}") ms / $paint_ms ms" "<= 1000 ms" "each a fresh process and data"
printf '| %-38s | %-22s | %-10s | %-28s |\n' "idle memory, PSS of $(median "${procs[@]}") processes" "$(mib "$idle_pss") MiB" "<= 150 MiB" "RSS sum $(mib "$(median "${rss[@]}")") MiB"
printf '| %-38s | %-22s | %-10s | %-28s |\n' "  of which anonymous (private data)" "$(mib "$(median "${anon[@]}")") MiB" "<= 50 MiB" "the rest: mapped files (libraries)"
echo "each process, PSS/anonymous MiB (last run): ${each[-1]}"
echo "each process's anonymous MiB by what holds it (last run; libraries' share is their relocated pages): $held"
echo "first paint: $(verdict "${paints[0]}" 1000) (first run), $(verdict "$paint_ms" 1000) (median); .deb: $(verdict "$deb_bytes" 15000000); idle memory: $(verdict "$idle_pss" $((150 * 1024))) (PSS), $(verdict "$(median "${anon[@]}")" $((50 * 1024))) (private)"

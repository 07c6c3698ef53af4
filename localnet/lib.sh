# Shared by start.sh and stop.sh (sourced, not run).

# pid from a pid file if that process is alive and looks like ours ($2: regex for its command line)
live_pid() {
  local file="$1" pattern="$2" pid stat args
  [[ -f "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" ]] || return 1
  stat="$(ps -o stat= -p "$pid" 2>/dev/null)" || return 1
  stat="${stat//[[:space:]]/}"
  [[ "$stat" != Z* ]] || return 1 # a zombie has already exited
  args="$(ps -ww -o args= -p "$pid" 2>/dev/null)" || return 1
  [[ "$args" =~ $pattern ]] || return 1
  echo "$pid"
}

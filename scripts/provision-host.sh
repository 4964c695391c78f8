#!/usr/bin/env bash
# Prepares a benchmark host for stackbench's reference stacks, idempotently.
#
#   scripts/provision-host.sh            install the Debian packages the reference stacks need
#                                        (nginx, gunicorn with gevent, PostgreSQL for the db
#                                        workload) and show kernel settings
#   scripts/provision-host.sh --tune     also apply the kernel settings benchmark hosts want,
#                                        printing each old and new value
#   scripts/provision-host.sh --dry-run  say what would be installed or changed, change nothing
#   scripts/provision-host.sh --auto     what `nx run bench:matrix` runs first: install what is
#                                        missing when root (or sudo without a password) can, else
#                                        say what is missing and how to install it; never fails
#
# Without --tune no kernel setting is changed. Needs root (or sudo) to install or tune.
set -euo pipefail

tune=0
dry=0
auto=0
for arg in "$@"; do
  case "$arg" in
    --tune) tune=1 ;;
    --dry-run) dry=1 ;;
    --auto) auto=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "provision-host: unknown option '$arg' (valid: --tune, --dry-run, --auto, --help)" >&2; exit 2 ;;
  esac
done
if ((auto && tune)); then
  echo "provision-host: --auto never changes kernel settings; run --tune on its own" >&2
  exit 2
fi

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# --- packages -------------------------------------------------------------------------------
# nginx-light: reverse proxy of the nginx-* stacks; gunicorn + python3-gevent: the seed's own
# baseline (gunicorn -k gevent); util-linux (setpriv, taskset) and iproute2 (ss) are used by the
# supervisor and the orchestrator; postgresql + python3-psycopg + python3-psycopg-pool: the db
# workload (a private cluster per set, @stackbench/database; the Python port's /db pool). The
# package may start Debian's own `main` cluster: the suite never uses it.
packages=(nginx-light gunicorn python3-gevent util-linux iproute2 postgresql python3-psycopg python3-psycopg-pool)
missing=()
for p in "${packages[@]}"; do
  if dpkg -s "$p" >/dev/null 2>&1; then
    echo "provision-host: $p is installed ($(dpkg-query -W -f='${Version}' "$p"))"
  else
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  if ((auto)) && ! command -v apt-get >/dev/null; then
    echo "provision-host: missing ${missing[*]}, and this host has no apt-get: install them with its package manager; the matrix skips the stacks that need them" >&2
    exit 0
  fi
  if ((auto)) && [[ $(id -u) -ne 0 ]] && ! sudo -n true 2>/dev/null; then
    echo "provision-host: missing ${missing[*]}; not root, so not installed. Run: sudo scripts/provision-host.sh — until then the matrix skips the stacks that need them" >&2
    exit 0
  fi
  echo "provision-host: installing with apt-get: ${missing[*]}"
  if ((dry == 0)); then
    if ! { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"; }; then
      echo "provision-host: apt-get could not install ${missing[*]} (see above)" >&2
      ((auto)) && exit 0
      exit 1
    fi
  fi
else
  echo "provision-host: nothing to install"
fi

# --- kernel settings ------------------------------------------------------------------------
# name, wanted value, how to compare (min: at least; exact: equal). somaxconn caps every listen
# backlog (the stacks ask for 2048), so it must be at least that.
settings=(
  "net.core.somaxconn|4096|min"
  "net.ipv4.tcp_max_syn_backlog|4096|min"
  "net.ipv4.ip_local_port_range|1024 65535|exact"
  "fs.file-max|1048576|min"
  "fs.nr_open|1048576|min"
)
status=0
for line in "${settings[@]}"; do
  IFS='|' read -r name wanted how <<<"$line"
  file="/proc/sys/${name//./\/}"
  if [[ ! -r $file ]]; then
    echo "provision-host: $name: not available on this kernel"
    continue
  fi
  current=$(tr -s '\t ' ' ' <"$file")
  want=$(tr -s '\t ' ' ' <<<"$wanted")
  ok=0
  if [[ $how == min ]]; then
    (( current >= want )) && ok=1
  else
    [[ $current == "$want" ]] && ok=1
  fi
  if ((ok)); then
    echo "provision-host: $name = $current (ok)"
  elif ((tune == 0 || dry == 1)); then
    echo "provision-host: $name = $current (benchmark hosts want $want; --tune applies it)"
  elif as_root sysctl -q -w "$name=$wanted" >/dev/null 2>&1; then
    echo "provision-host: $name: $current -> $(tr -s '\t ' ' ' <"$file")"
  else
    echo "provision-host: $name: could not set $want (read-only /proc/sys, e.g. in a container); still $current" >&2
    status=1
  fi
done

# Open files: the limit a shell (and the stacks it starts) inherits. A process may raise its soft
# limit up to the hard one; raising the hard one needs limits.conf and a new login.
echo "provision-host: open files: soft $(ulimit -Sn), hard $(ulimit -Hn)"
if ((tune == 1 && dry == 0)); then
  limits=/etc/security/limits.d/90-stackbench.conf
  if [[ ! -f $limits ]]; then
    printf '*\tsoft\tnofile\t65536\n*\thard\tnofile\t1048576\nroot\tsoft\tnofile\t65536\nroot\thard\tnofile\t1048576\n' | as_root tee "$limits" >/dev/null
    echo "provision-host: wrote $limits (nofile 65536 soft / 1048576 hard; takes effect at next login)"
  else
    echo "provision-host: $limits already present"
  fi
fi
exit $status

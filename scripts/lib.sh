# shellcheck shell=bash
# lib.sh - shared functions of scripts/demo, scripts/test, scripts/testctl and
# bench/run: Debian packages, node modules, the build, a private MariaDB, the
# ostium pool, lighttpd, and stopping every process they started by its pid.
#
# Sourced, never run. The caller sets `set -euo pipefail`. Every process a
# function starts is recorded under DIR/run/NAME.pid (and its name appended to
# DIR/run/started), so that ost_stop_all DIR stops exactly those, newest first.
# A recorded pid is kept with the process's start time, so that a pid reused
# by an unrelated process is never signalled.

OST_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages, by what needs them: build, run (demo), test, bench, web
# (the web servers other than lighttpd that scripts/test --server runs), deb
# (tests/deb/run: building, checking and installing the Debian package in a
# debootstrap root; it installs the package's Build-Depends itself).
declare -A OST_PACKAGES=(
	[build]="build-essential autoconf automake libtool pkg-config libfcgi-dev
		libxml2-dev libmariadb-dev libgcrypt20-dev libcurl4-openssl-dev
		libjansson-dev check"
	[run]="mariadb-server mariadb-client lighttpd curl"
	[test]="chromium wrk"
	[bench]="wrk"
	[web]="apache2 libapache2-mod-fcgid nginx"
	[deb]="git dpkg-dev debhelper lintian debootstrap zstd curl openssl iproute2"
)

ost_log() { printf '==> %s\n' "$*" >&2; }
ost_warn() { printf 'warning: %s\n' "$*" >&2; }
ost_die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# ost_random_hex N - prints N random bytes as hex.
ost_random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# ost_install_packages PKG... - installs with apt the packages not yet
# installed; runs `apt-get update` once, only when something is missing.
# Services the packages bring (apache2, nginx, mariadb) are not started: a
# policy-rc.d refusing every start is in place during the install when the
# machine has none. The scripts run their own servers, never the system's.
ost_install_packages() {
	local missing=() pkg policy=/usr/sbin/policy-rc.d own_policy=0 rc=0
	for pkg in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'install ok installed'; then
			missing+=("$pkg")
		fi
	done
	((${#missing[@]})) || return 0
	[[ $(id -u) -eq 0 ]] || ost_die "missing Debian packages (${missing[*]}): run as root, or install them"
	ost_log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if [[ -z ${OST_APT_UPDATED:-} ]]; then
		apt-get update -q </dev/null
		OST_APT_UPDATED=1
	fi
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\n# written by ostium scripts/lib.sh during apt-get install\nexit 101\n' >"$policy"
		chmod 0755 "$policy"
		own_policy=1
	fi
	apt-get install -y -q "${missing[@]}" </dev/null || rc=$?
	((own_policy == 0)) || rm -f "$policy"
	((rc == 0)) || ost_die "apt-get install ${missing[*]} failed"
}

# ost_install_deps WHAT... - installs the Debian packages that WHAT (build,
# run, test, bench) needs.
ost_install_deps() {
	local what pkgs=()
	for what in "$@"; do
		# shellcheck disable=SC2206 # the lists are plain words
		pkgs+=(${OST_PACKAGES[$what]})
	done
	ost_install_packages "${pkgs[@]}"
}

# ost_install_node - installs nodejs and npm from Debian when `node` (or
# `npm`) is missing; a node already on the machine is used as it is.
ost_install_node() {
	if ! command -v node >/dev/null; then
		ost_install_packages nodejs npm
	elif ! command -v npm >/dev/null; then
		ost_install_packages npm
	fi
}

# ost_npm_ci - `npm ci` from the committed package-lock.json when
# node_modules is missing or older than the lockfile. Never downloads a
# browser: the tests use Debian's chromium.
ost_npm_ci() {
	local lock=$OST_TOP/package-lock.json mods=$OST_TOP/node_modules
	[[ -f $lock ]] || ost_die "$lock is missing"
	if [[ ! -d $mods || $lock -nt $mods ]]; then
		ost_log "npm ci"
		(cd "$OST_TOP" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
			npm ci --no-audit --no-fund </dev/null)
		touch "$mods"
	fi
}

# ost_build BUILDDIR CFLAGS - autoreconf when configure is missing,
# configure in BUILDDIR (out of tree) when it is not yet configured with
# CFLAGS, then make -j2. Leaves ostium and ostiumctl in BUILDDIR.
ost_build() {
	local build=$1 cflags=$2 stamp
	if [[ ! -x $OST_TOP/configure ]]; then
		ost_log "autoreconf -fi"
		# m4/ is not committed (it only holds generated files).
		mkdir -p "$OST_TOP/m4"
		(cd "$OST_TOP" && autoreconf -fi)
	fi
	if [[ -f $OST_TOP/config.status && $(cd "$build" 2>/dev/null && pwd) != "$OST_TOP" ]]; then
		ost_die "$OST_TOP is configured in-tree, which stops out-of-tree builds: run 'make distclean' there first"
	fi
	mkdir -p "$build"
	stamp="CFLAGS=$cflags"
	if [[ ! -f $build/Makefile || ! -f $build/.ost-configured ||
		$(cat "$build/.ost-configured") != "$stamp" ]]; then
		ost_log "configure in $build (CFLAGS=$cflags)"
		(cd "$build" && "$OST_TOP/configure" CFLAGS="$cflags" </dev/null)
		printf '%s' "$stamp" >"$build/.ost-configured"
	fi
	ost_log "make in $build"
	make -C "$build" -j2 </dev/null
}

# ost_tmpdir NAME - makes and prints a new directory OST_TOP/tmp/NAME.XXXXXX,
# or under /tmp when the repository's path is too long for unix sockets.
ost_tmpdir() {
	local base=$OST_TOP/tmp
	# sun_path holds 107 bytes; the longest socket is DIR/ostium.sock.
	if ((${#base} + ${#1} + 30 > 107)); then
		base=${TMPDIR:-/tmp}
	fi
	mkdir -p "$base"
	mktemp -d "$base/$1.XXXXXX"
}

# --- processes ---------------------------------------------------------

# ost_proc_field PID N - prints field N of /proc/PID/stat (3: state,
# 6: session, 22: start time); fails when PID does not exist.
ost_proc_field() {
	local stat
	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
	# Field 2 (the command) may hold spaces: count from the last ')'.
	stat=${stat##*) }
	local fields
	read -ra fields <<<"$stat"
	printf '%s\n' "${fields[$(($2 - 3))]}"
}

# ost_proc_alive PID START - true when PID runs (not a zombie) and started
# at START (so a pid reused by another process is not taken for ours).
ost_proc_alive() {
	local state start
	state=$(ost_proc_field "$1" 3 2>/dev/null) || return 1
	[[ $state != Z && $state != X ]] || return 1
	start=$(ost_proc_field "$1" 22 2>/dev/null) || return 1
	[[ $start == "$2" ]]
}

# ost_record_pid DIR NAME PID - remembers PID (and its start time) as the
# process NAME of DIR. The processes are started with setsid, so PID is
# also the session of every process it forks (see ost_leftovers).
ost_record_pid() {
	local start
	mkdir -p "$1/run"
	start=$(ost_proc_field "$3" 22) || start=0
	printf '%s %s\n' "$3" "$start" >"$1/run/$2.pid"
	grep -qxF "$2" "$1/run/started" 2>/dev/null || printf '%s\n' "$2" >>"$1/run/started"
	printf '%s\n' "$3" >>"$1/run/sessions"
}

# ost_pid DIR NAME - prints the recorded pid of NAME when that process is
# still alive; fails otherwise.
ost_pid() {
	local f=$1/run/$2.pid pid start
	[[ -f $f ]] || return 1
	read -r pid start <"$f" || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	ost_proc_alive "$pid" "$start" || return 1
	printf '%s\n' "$pid"
}

# ost_stop DIR NAME [SECONDS] - stops the recorded process NAME of DIR:
# SIGTERM, waits up to SECONDS (default 30) for it to end, then SIGKILL.
ost_stop() {
	local dir=$1 name=$2 limit=$((${3:-30} * 10)) pid start i
	if pid=$(ost_pid "$dir" "$name"); then
		read -r pid start <"$dir/run/$name.pid"
		ost_log "stopping $name (pid $pid)"
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < limit; i++)); do
			# A child of this shell stays a zombie until reaped.
			if ! ost_proc_alive "$pid" "$start"; then
				wait "$pid" 2>/dev/null || true
				break
			fi
			sleep 0.1
		done
		if ((i == limit)); then
			ost_warn "$name (pid $pid) did not stop in ${3:-30} s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$dir/run/$name.pid"
}

# ost_stop_all DIR - stops every process recorded in DIR, newest first.
ost_stop_all() {
	local name
	[[ -f $1/run/started ]] || return 0
	while read -r name; do
		[[ -n $name ]] && ost_stop "$1" "$name" 60
	done < <(tac "$1/run/started")
	rm -f "$1/run/started"
	ost_gen_forget "$1"
}

# ost_gen_forget DIR - removes the shared memory object of the generation
# counters of DIR/ostium.conf's database (src/core/gen.c gen_name: FNV-1a
# of the socket, or host and port, and name, each with its NUL), which
# outlives the processes; only for a database on a socket, as the tests'.
ost_gen_forget() {
	local conf=$1/ostium.conf socket name h b
	[[ -f $conf ]] || return 0
	socket=$(sed -n 's/^db_socket *= *//p' "$conf" | tail -n1)
	name=$(sed -n 's/^db_name *= *//p' "$conf" | tail -n1)
	[[ -n $socket ]] || return 0
	h=-3750763034362895579 # 14695981039346656037, the FNV offset basis
	for b in $(printf '%s\0\0\0%s\0' "$socket" "${name:-ostium}" | od -An -v -tu1); do
		((h = (h ^ b) * 1099511628211)) || true
	done
	rm -f "/dev/shm/$(printf 'ostium-gen-%016x' "$h")"
}

# ost_leftovers DIR - prints the pids of live processes in the sessions of
# the processes recorded in DIR (the workers a stopped pool master should
# not have left behind).
ost_leftovers() {
	local -A sessions=()
	local sid p pid state
	[[ -f $1/run/sessions ]] || return 0
	while read -r sid; do
		[[ -n $sid ]] && sessions[$sid]=1
	done <"$1/run/sessions"
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		sid=$(ost_proc_field "$pid" 6 2>/dev/null) || continue
		[[ -n ${sessions[$sid]:-} ]] || continue
		state=$(ost_proc_field "$pid" 3 2>/dev/null) || continue
		[[ $state == Z ]] && continue
		printf '%s\n' "$pid"
	done
}

# ost_kill_leftovers DIR - SIGKILLs what ost_leftovers finds, after naming
# it, and fails when there was anything; then forgets the sessions.
ost_kill_leftovers() {
	local pids pid
	pids=$(ost_leftovers "$1")
	if [[ -z $pids ]]; then
		rm -f "$1/run/sessions"
		return 0
	fi
	for pid in $pids; do
		ost_warn "left running: pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
		kill -KILL "$pid" 2>/dev/null || true
	done
	rm -f "$1/run/sessions"
	return 1
}

# ost_spawn DIR NAME LOG COMMAND... - starts COMMAND in the background in a
# session of its own (no terminal signals reach it; its children stay in
# that session), output appended to LOG, and records it as NAME of DIR.
ost_spawn() {
	local dir=$1 name=$2 log=$3
	shift 3
	# In a shell without job control a background job is not a process
	# group leader, so setsid execs COMMAND in place: $! is its pid.
	setsid "$@" </dev/null >>"$log" 2>&1 &
	ost_record_pid "$dir" "$name" "$!"
}

# ost_wait_for SECONDS WHAT COMMAND... - runs COMMAND every 0.1 s until it
# succeeds; fails after SECONDS.
ost_wait_for() {
	local limit=$(($1 * 10)) what=$2 i
	shift 2
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	ost_warn "timed out after ${limit}00 ms waiting for $what"
	return 1
}

# ost_alive_and DIR NAME TEST... - true when TEST succeeds; fails the wait
# early (exit of the subshell) when the process NAME of DIR has died.
ost_alive_and() {
	local dir=$1 name=$2
	shift 2
	if ! ost_pid "$dir" "$name" >/dev/null; then
		return 2
	fi
	"$@"
}

# ost_wait_started SECONDS DIR NAME LOG TEST... - waits until TEST succeeds
# while NAME runs; on failure prints the end of LOG and fails.
ost_wait_started() {
	local limit=$(($1 * 10)) dir=$2 name=$3 log=$4 i rc
	shift 4
	for ((i = 0; i < limit; i++)); do
		rc=0
		ost_alive_and "$dir" "$name" "$@" || rc=$?
		((rc == 0)) && return 0
		if ((rc == 2)); then
			ost_warn "$name exited while starting; end of $log:"
			tail -n 30 "$log" >&2 || true
			return 1
		fi
		sleep 0.1
	done
	ost_warn "$name did not become ready in $1 s; end of $log:"
	tail -n 30 "$log" >&2 || true
	return 1
}

# ost_port_open PORT - true when something accepts on 127.0.0.1:PORT.
ost_port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ost_free_port - prints a loopback TCP port nobody listens on.
ost_free_port() {
	local i port
	for ((i = 0; i < 100; i++)); do
		port=$((20000 + RANDOM % 30000))
		if ! ost_port_open "$port"; then
			printf '%s\n' "$port"
			return 0
		fi
	done
	ost_die "found no free loopback port"
}

# --- MariaDB -----------------------------------------------------------

# ost_db_socket DIR - the unix socket of the private MariaDB of DIR.
ost_db_socket() { printf '%s/db.sock' "$1"; }

# ost_db_sql DIR [DATABASE] - the mariadb client as root on the socket,
# reading statements from stdin, tab-separated output without headers.
ost_db_sql() {
	mariadb --no-defaults --protocol=socket -S "$(ost_db_socket "$1")" -uroot \
		--batch --skip-column-names ${2:+"$2"}
}

ost_db_ping() {
	mariadb-admin --no-defaults --protocol=socket -S "$(ost_db_socket "$1")" \
		-uroot --connect-timeout=2 ping >/dev/null 2>&1
}

# ost_db_start DIR [MARIADBD-OPTION...] - starts (once) a private MariaDB
# with its data in DIR/mariadb, on the unix socket DIR/db.sock, networking
# off; on first start initialises the data directory, creates the database
# `ostium` and the user ostium@localhost with a random password kept in
# DIR/db-password (mode 0600). Extra options are remembered in DIR/db.args
# for later restarts (ost_db_start DIR without options reuses them).
ost_db_start() {
	local dir=$1 data=$1/mariadb sock log=$1/mariadb.log args=()
	shift
	sock=$(ost_db_socket "$dir")
	# Unix socket paths are limited to 107 bytes; ostium.sock is longer.
	((${#dir} + 12 <= 107)) || ost_die "$dir is too long a path for unix sockets"
	if ost_pid "$dir" mariadb >/dev/null; then
		ost_log "MariaDB already running (pid $(ost_pid "$dir" mariadb))"
		ost_wait_for 60 "MariaDB on $sock" ost_db_ping "$dir"
		return
	fi
	if (($#)); then
		printf '%s\n' "$@" >"$dir/db.args"
	fi
	if [[ -f $dir/db.args ]]; then
		mapfile -t args <"$dir/db.args"
	fi
	if [[ ! -d $data/mysql ]]; then
		ost_log "initialising MariaDB in $data"
		mkdir -p "$data"
		mariadb-install-db --no-defaults --user=root --datadir="$data" \
			--auth-root-authentication-method=socket --skip-test-db \
			>"$dir/mariadb-install.log" 2>&1 </dev/null ||
			{
				tail -n 30 "$dir/mariadb-install.log" >&2
				ost_die "mariadb-install-db failed"
			}
	fi
	rm -f "$sock"
	ost_log "starting MariaDB on $sock"
	ost_spawn "$dir" mariadb "$dir/mariadb.out" \
		mariadbd --no-defaults --user=root --datadir="$data" \
		--socket="$sock" --pid-file="$dir/mariadb.pid" --log-error="$log" \
		--skip-networking --character-set-server=utf8mb4 \
		--collation-server=utf8mb4_general_ci "${args[@]}"
	ost_wait_started 120 "$dir" mariadb "$log" ost_db_ping "$dir" ||
		ost_die "MariaDB did not start"
	ost_db_setup "$dir"
}

# ost_db_setup DIR - the database `ostium` and its user, idempotently.
ost_db_setup() {
	local dir=$1 pw
	if [[ ! -s $dir/db-password ]]; then
		(
			umask 077
			ost_random_hex 24 >"$dir/db-password"
		)
	fi
	pw=$(<"$dir/db-password")
	ost_db_sql "$dir" <<-SQL
		CREATE DATABASE IF NOT EXISTS ostium CHARACTER SET utf8mb4;
		CREATE USER IF NOT EXISTS 'ostium'@'localhost' IDENTIFIED BY '$pw';
		ALTER USER 'ostium'@'localhost' IDENTIFIED BY '$pw';
		GRANT ALL PRIVILEGES ON ostium.* TO 'ostium'@'localhost';
	SQL
}

# ost_db_stop DIR - stops the private MariaDB of DIR and waits until it is
# gone (SIGKILL after 60 s).
ost_db_stop() { ost_stop "$1" mariadb 60; }

# --- ostium ------------------------------------------------------------

# ost_write_config FILE DIR [KEY=VALUE...] - writes an ostium config for the
# state directory DIR (socket, pid file, database, keys all inside DIR,
# data_dir the repository top); KEY=VALUE pairs replace the defaults.
ost_write_config() {
	local file=$1 dir=$2 kv key
	shift 2
	local -A cfg=(
		[listen]="unix:$dir/ostium.sock"
		[socket_mode]=0660
		[workers]=2
		[max_requests]=10000
		[pid_file]="$dir/ostium.pid"
		[db_socket]="$(ost_db_socket "$dir")"
		[db_name]=ostium
		[db_user]=ostium
		[db_password_file]="$dir/db-password"
		[base_url]=http://127.0.0.1:8080
		[development]=yes
		[trusted_proxies]=""
		[pepper_file]="$dir/pepper"
		[key_file]="$dir/keys"
		[argon2_t]=3
		[argon2_m]=65536
		[argon2_p]=1
		[session_ttl]=28800
		[data_dir]="$OST_TOP"
		[log_level]=info
	)
	local order=(listen socket_mode workers max_requests pid_file db_socket
		db_name db_user db_password_file base_url development trusted_proxies
		pepper_file key_file argon2_t argon2_m argon2_p session_ttl data_dir
		log_level)
	for kv in "$@"; do
		key=${kv%%=*}
		[[ -v "cfg[$key]" ]] || order+=("$key")
		cfg[$key]=${kv#*=}
	done
	{
		printf '# %s - written by scripts/lib.sh (ost_write_config)\n' "${file##*/}"
		for key in "${order[@]}"; do
			printf '%s = %s\n' "$key" "${cfg[$key]}"
		done
	} >"$file"
}

# ost_ctl BUILD CONFIG ARGS... - runs ostiumctl.
ost_ctl() {
	local build=$1 conf=$2
	shift 2
	"$build/ostiumctl" -c "$conf" "$@" </dev/null
}

# ost_gen_keys BUILD CONFIG DIR - writes DIR/pepper and DIR/keys with
# ostiumctl gen-keys when both are missing (it refuses to overwrite).
ost_gen_keys() {
	local have=0
	[[ -e $3/pepper ]] && have=$((have + 1))
	[[ -e $3/keys ]] && have=$((have + 1))
	case $have in
	0) ost_ctl "$1" "$2" gen-keys ;;
	2) ;;
	*) ost_die "only one of $3/pepper and $3/keys exists: remove it, or restore the other" ;;
	esac
}

# ost_create_admin BUILD CONFIG EMAIL - creates an administrator; prints
# the generated password alone.
ost_create_admin() {
	local out pw
	out=$(ost_ctl "$1" "$2" create-admin "$3") ||
		ost_die "ostiumctl create-admin $3 failed"
	pw=$(sed -n 's/^password: //p' <<<"$out")
	[[ -n $pw ]] || ost_die "ostiumctl create-admin printed no 'password: ' line"
	printf '%s\n' "$pw"
}

# ost_ostium_start BUILD CONFIG DIR - starts the ostium pool master of DIR
# in the background (stderr to DIR/ostium.log) and waits for its socket
# DIR/ostium.sock.
ost_ostium_start() {
	local build=$1 conf=$2 dir=$3
	ost_log "starting ostium ($conf)"
	rm -f "$dir/ostium.sock"
	ost_spawn "$dir" ostium "$dir/ostium.log" "$build/ostium" -c "$conf"
	ost_wait_started 60 "$dir" ostium "$dir/ostium.log" test -S "$dir/ostium.sock" ||
		ost_die "ostium did not start"
}

# --- web servers ---------------------------------------------------------
#
# Each web server runs the example operators are given (examples/), with the
# Debian paths and the TLS listener swapped for the test's by sed
# (ost_example), inside a small main configuration written here that keeps
# the server's pid, logs and temporary files in DIR: so the tests prove the
# examples work. Each runs in the foreground, recorded by pid.

# The web servers ost_web_server_start knows, in the order --server all
# runs them.
OST_WEB_SERVERS=(lighttpd apache apache-fcgid nginx)

# The user Apache's and nginx's workers run as (Debian's).
OST_WEB_USER=www-data

# ost_sed_strict SRC OUT EXPR... - writes OUT (which may be SRC): SRC with
# each sed -E expression EXPR applied in turn. Fails, naming the expression
# and writing nothing, when one changes nothing: the file moved on and the
# caller's expressions must follow it.
ost_sed_strict() {
	local src=$1 out=$2 expr text new
	shift 2
	[[ -f $src ]] || {
		ost_warn "$src is missing"
		return 1
	}
	text=$(<"$src")
	for expr in "$@"; do
		new=$(sed -E "$expr" <<<"$text")
		if [[ $new == "$text" ]]; then
			ost_warn "sed -E '$expr' changes nothing in $src"
			return 1
		fi
		text=$new
	done
	printf '%s\n' "$text" >"$out"
}

# ost_example NAME OUT EXPR... - writes OUT: examples/NAME with each sed -E
# expression EXPR applied in turn; dies when an expression changes nothing,
# which means the example moved on and this file must follow it.
ost_example() {
	local src=$OST_TOP/examples/$1 out=$2
	shift 2
	ost_sed_strict "$src" "$out" "$@" ||
		ost_die "examples/${src##*/} no longer has what scripts/lib.sh expects: update scripts/lib.sh to follow it"
}

# ost_state DIR KEY - prints KEY's value from DIR/state (KEY=VALUE lines).
ost_state() {
	sed -n "s/^$2=//p" "$1/state" 2>/dev/null | tail -n 1
}

# --- lighttpd ----------------------------------------------------------

# ost_lighttpd_conf [--prefix PREFIX] DIR PORT [ROUTE=SOCKET...] - writes
# DIR/lighttpd.conf: lighttpd on 127.0.0.1:PORT around
# examples/lighttpd-ostium.conf (/static/ from www/static, everything else to
# DIR/ostium.sock; under PREFIX/ when given) without its TLS block; each
# ROUTE (a path prefix such as /bench/hello) to the FastCGI SOCKET given.
ost_lighttpd_conf() {
	local prefix=
	if [[ ${1:-} == --prefix ]]; then
		prefix=$2
		shift 2
	fi
	local dir=$1 port=$2 route exprs
	shift 2
	mkdir -p "$dir/htdocs" "$dir/uploads"
	# shellcheck disable=SC2016 # a literal $SERVER
	exprs=(
		'/^server\.modules \+= \("mod_openssl"\)$/d'
		'/^\$SERVER\["socket"\] == ":443" \{/,/^\}/d'
		"s#/run/ostium/ostium\\.sock#$dir/ostium.sock#"
		"s#/usr/share/ostium/www/static/#$OST_TOP/www/static/#"
	)
	if [[ -n $prefix ]]; then
		exprs+=(
			"s#\"/static/\" =>#\"$prefix/static/\" =>#"
			"s#\"\\^/static/\"#\"^$prefix/static/\"#"
			"s#\"/\" => \\(\\(#\"$prefix/\" => ((#"
		)
	fi
	ost_example lighttpd-ostium.conf "$dir/lighttpd-ostium.conf" "${exprs[@]}"
	{
		cat <<-EOF
			# lighttpd.conf - written by scripts/lib.sh (ost_lighttpd_conf)
			# around examples/lighttpd-ostium.conf.
			server.modules = ("mod_alias", "mod_fastcgi")
			server.bind = "127.0.0.1"
			server.port = $port
			server.document-root = "$dir/htdocs"
			server.errorlog = "$dir/lighttpd-error.log"
			server.upload-dirs = ("$dir/uploads")
			server.tag = "lighttpd"
			mimetype.assign = (
			  ".css" => "text/css; charset=utf-8",
			  ".js" => "text/javascript; charset=utf-8",
			  ".svg" => "image/svg+xml",
			  ".png" => "image/png",
			  ".ico" => "image/vnd.microsoft.icon",
			  ".woff2" => "font/woff2",
			  ".txt" => "text/plain; charset=utf-8",
			  "" => "application/octet-stream"
			)
			include "$dir/lighttpd-ostium.conf"
		EOF
		if (($#)); then
			# shellcheck disable=SC2016 # a literal $HTTP
			printf '$HTTP["url"] =~ "^/bench/" {\n  fastcgi.server = (\n'
			for route in "$@"; do
				printf '    "%s" => (("socket" => "%s", "check-local" => "disable")),\n' \
					"${route%%=*}" "${route#*=}"
			done
			printf '  )\n}\n'
		fi
	} >"$dir/lighttpd.conf"
	lighttpd -tt -f "$dir/lighttpd.conf" >/dev/null ||
		ost_die "lighttpd refuses $dir/lighttpd.conf"
}

# ost_lighttpd_start DIR PORT - runs lighttpd -D -f DIR/lighttpd.conf in the
# background and waits until 127.0.0.1:PORT answers.
ost_lighttpd_start() {
	local dir=$1 port=$2
	ost_port_open "$port" && ost_die "127.0.0.1:$port is already in use"
	ost_log "starting lighttpd on 127.0.0.1:$port"
	ost_spawn "$dir" lighttpd "$dir/lighttpd.out" lighttpd -D -f "$dir/lighttpd.conf"
	ost_wait_started 30 "$dir" lighttpd "$dir/lighttpd-error.log" ost_port_open "$port" ||
		ost_die "lighttpd did not start"
}

# --- Apache --------------------------------------------------------------

# ost_apache_conf MODE DIR PORT [PREFIX] - writes DIR/apache2.conf: Apache on
# 127.0.0.1:PORT (ServerRoot, pid, logs and mutexes in DIR/apache2; workers
# as www-data) around the example of MODE, without its TLS and port 80
# virtual hosts:
#   proxy-fcgi  examples/apache2-proxy-fcgi.conf, to the pool on
#               DIR/ostium.sock;
#   fcgid       examples/apache2-fcgid.conf, Apache spawning the ostium of
#               the build recorded in DIR/state with DIR/ostium.conf, with the
#               sanitizer options of the environment.
# Under PREFIX/ when given.
ost_apache_conf() {
	local mode=$1 dir=$2 port=$3 prefix=${4:-} mods exprs example build max
	local libdir=/usr/lib/apache2/modules
	exprs=(
		'/^<VirtualHost \*:80>/,/^<\/VirtualHost>/d'
		"s#^<VirtualHost \\*:443>#<VirtualHost 127.0.0.1:$port>#"
		'/^[[:space:]]*SSL/d'
		's#ServerName ostium\.example\.org#ServerName 127.0.0.1#'
		"s#/usr/share/ostium/www/static#$OST_TOP/www/static#g"
	)
	[[ -z $prefix ]] || exprs+=(
		"s#^([[:space:]]*Alias) /static/#\\1 $prefix/static/#"
		"s#<Location />#<Location $prefix/>#"
	)
	case $mode in
	proxy-fcgi)
		example=apache2-proxy-fcgi.conf
		mods=(proxy proxy_fcgi)
		exprs+=("s#/run/ostium/ostium\\.sock#$dir/ostium.sock#")
		[[ -z $prefix ]] || exprs+=(
			"s#ProxyPass /static/ !#ProxyPass $prefix/static/ !#"
			"s#ProxyPass / #ProxyPass $prefix/ #"
		)
		;;
	fcgid)
		example=apache2-fcgid.conf
		mods=(fcgid)
		build=$(ost_state "$dir" OST_BUILD)
		[[ -x $build/ostium ]] || ost_die "no ostium in '$build' (DIR/state OST_BUILD)"
		max=$(sed -n 's/^max_requests = //p' "$dir/ostium.conf")
		exprs+=(
			"s#\"/usr/sbin/ostium -c /etc/ostium/ostium\\.conf\"#\"$build/ostium -c $dir/ostium.conf\"#"
			"s#FcgidMaxRequestsPerProcess [0-9]+#FcgidMaxRequestsPerProcess ${max:-0}#"
		)
		[[ -z $prefix ]] || exprs+=("s#<Location /static/>#<Location $prefix/static/>#")
		;;
	*) ost_die "ost_apache_conf: unknown mode $mode" ;;
	esac
	mkdir -p "$dir/apache2" "$dir/htdocs"
	ost_example "$example" "$dir/apache2-ostium.conf" "${exprs[@]}"
	{
		cat <<-EOF
			# apache2.conf - written by scripts/lib.sh (ost_apache_conf) around
			# examples/$example.
			ServerRoot "$dir/apache2"
			DefaultRuntimeDir "$dir/apache2"
			PidFile "$dir/apache2/apache2.pid"
			Mutex file:$dir/apache2 default
			ErrorLog "$dir/apache2-error.log"
			LogLevel warn
			ServerName 127.0.0.1
			User $OST_WEB_USER
			Group $OST_WEB_USER
			Listen 127.0.0.1:$port
			LoadModule mpm_event_module $libdir/mod_mpm_event.so
			LoadModule authz_core_module $libdir/mod_authz_core.so
			LoadModule alias_module $libdir/mod_alias.so
			LoadModule dir_module $libdir/mod_dir.so
			LoadModule mime_module $libdir/mod_mime.so
		EOF
		for m in "${mods[@]}"; do
			printf 'LoadModule %s_module %s/mod_%s.so\n' "$m" "$libdir" "$m"
		done
		cat <<-EOF
			TypesConfig /etc/mime.types
			StartServers 1
			ServerLimit 2
			ThreadsPerChild 25
			MinSpareThreads 5
			MaxSpareThreads 50
			MaxRequestWorkers 50
			DocumentRoot "$dir/htdocs"
			<Directory />
			    AllowOverride None
			    Require all denied
			</Directory>
		EOF
		if [[ $mode == fcgid ]]; then
			cat <<-EOF
				FcgidIPCDir "$dir/apache2/fcgid"
				FcgidProcessTableFile "$dir/apache2/fcgid-shm"
			EOF
			local v
			for v in ASAN_OPTIONS UBSAN_OPTIONS; do
				[[ -z ${!v:-} ]] || printf 'FcgidInitialEnv %s "%s"\n' "$v" "${!v}"
			done
		fi
		printf 'Include "%s"\n' "$dir/apache2-ostium.conf"
	} >"$dir/apache2.conf"
	apache2 -t -f "$dir/apache2.conf" >"$dir/apache2-check.log" 2>&1 || {
		cat "$dir/apache2-check.log" >&2
		ost_die "apache2 refuses $dir/apache2.conf"
	}
}

# ost_apache_start DIR PORT - runs apache2 -D FOREGROUND -f DIR/apache2.conf
# in the background and waits until 127.0.0.1:PORT answers.
ost_apache_start() {
	local dir=$1 port=$2
	ost_log "starting apache2 on 127.0.0.1:$port"
	ost_spawn "$dir" apache2 "$dir/apache2.out" apache2 -D FOREGROUND -f "$dir/apache2.conf"
	ost_wait_started 30 "$dir" apache2 "$dir/apache2-error.log" ost_port_open "$port" ||
		ost_die "apache2 did not start"
}

# --- nginx ---------------------------------------------------------------

# ost_nginx_conf DIR PORT [PREFIX] - writes DIR/nginx/nginx.conf: nginx on
# 127.0.0.1:PORT (pid, logs and temporary files in DIR; workers as
# www-data) around examples/nginx-ostium.conf, without its TLS and port 80
# servers; under PREFIX/ when given.
ost_nginx_conf() {
	local dir=$1 port=$2 prefix=${3:-} exprs
	exprs=(
		'/^# Plain http only/,/^\}/d'
		"s#^    listen 443 ssl;#    listen 127.0.0.1:$port;#"
		'/listen \[::\]:443 ssl;/d'
		'/ssl_certificate/d'
		's#server_name ostium\.example\.org;#server_name 127.0.0.1;#'
		's#include fastcgi_params;#include /etc/nginx/fastcgi_params;#'
		"s#/run/ostium/ostium\\.sock#$dir/ostium.sock#"
		"s#/usr/share/ostium/www/static/#$OST_TOP/www/static/#"
	)
	[[ -z $prefix ]] || exprs+=(
		"s#location /static/ \\{#location $prefix/static/ {#"
		"s#location / \\{#location $prefix/ {#"
	)
	mkdir -p "$dir/nginx"
	ost_example nginx-ostium.conf "$dir/nginx-ostium.conf" "${exprs[@]}"
	cat >"$dir/nginx/nginx.conf" <<-EOF
		# nginx.conf - written by scripts/lib.sh (ost_nginx_conf) around
		# examples/nginx-ostium.conf.
		user $OST_WEB_USER;
		worker_processes 1;
		pid $dir/nginx/nginx.pid;
		error_log $dir/nginx-error.log warn;
		events {
		    worker_connections 256;
		}
		http {
		    include /etc/nginx/mime.types;
		    default_type application/octet-stream;
		    access_log off;
		    client_body_temp_path $dir/nginx/body;
		    fastcgi_temp_path $dir/nginx/fastcgi;
		    proxy_temp_path $dir/nginx/proxy;
		    scgi_temp_path $dir/nginx/scgi;
		    uwsgi_temp_path $dir/nginx/uwsgi;
		    include $dir/nginx-ostium.conf;
		}
	EOF
	nginx -t -q -e "$dir/nginx-error.log" -p "$dir/nginx/" -c "$dir/nginx/nginx.conf" ||
		ost_die "nginx refuses $dir/nginx/nginx.conf"
}

# ost_nginx_start DIR PORT - runs nginx (daemon off) with DIR/nginx/nginx.conf
# in the background and waits until 127.0.0.1:PORT answers.
ost_nginx_start() {
	local dir=$1 port=$2
	ost_log "starting nginx on 127.0.0.1:$port"
	ost_spawn "$dir" nginx "$dir/nginx.out" nginx -e "$dir/nginx-error.log" \
		-p "$dir/nginx/" -c "$dir/nginx/nginx.conf" -g 'daemon off;'
	ost_wait_started 30 "$dir" nginx "$dir/nginx-error.log" ost_port_open "$port" ||
		ost_die "nginx did not start"
}

# --- any of them -----------------------------------------------------------

# ost_web_server_start SERVER DIR PORT [PREFIX] - the web server SERVER (one
# of OST_WEB_SERVERS) in front of Ostium of DIR on 127.0.0.1:PORT, serving
# it under PREFIX/ when given. apache-fcgid spawns ostium itself (the build
# recorded in DIR/state); the others pass requests to DIR/ostium.sock.
ost_web_server_start() {
	local server=$1 dir=$2 port=$3 prefix=${4:-}
	ost_port_open "$port" && ost_die "127.0.0.1:$port is already in use"
	case $server in
	lighttpd)
		ost_lighttpd_conf --prefix "$prefix" "$dir" "$port"
		ost_lighttpd_start "$dir" "$port"
		;;
	apache | apache-fcgid)
		if [[ $server == apache ]]; then
			ost_apache_conf proxy-fcgi "$dir" "$port" "$prefix"
		else
			ost_apache_conf fcgid "$dir" "$port" "$prefix"
		fi
		ost_apache_start "$dir" "$port"
		;;
	nginx)
		ost_nginx_conf "$dir" "$port" "$prefix"
		ost_nginx_start "$dir" "$port"
		;;
	*) ost_die "web server $server: unknown (one of ${OST_WEB_SERVERS[*]})" ;;
	esac
}

# ost_web_server_stop DIR - stops whichever web server of DIR runs.
ost_web_server_stop() {
	local name
	for name in lighttpd apache2 nginx; do
		ost_stop "$1" "$name" 30
	done
}

# ost_web_server_log SERVER DIR - prints the path of SERVER's error log.
ost_web_server_log() {
	case $1 in
	apache*) printf '%s/apache2-error.log\n' "$2" ;;
	nginx) printf '%s/nginx-error.log\n' "$2" ;;
	*) printf '%s/lighttpd-error.log\n' "$2" ;;
	esac
}

# --- the servers of the HTTP and browser tests ---------------------------

# The events settings of the test servers: two dispatchers, short
# time-outs and retries (1 s, 2 s, 3 s, 4 s, then failed), leases of 10 s,
# idle dispatchers looking every 100 ms.
OST_TEST_EVENTS=(events_workers=2 events_timeout=2 "events_retry_schedule=1s 2s 3s 4s"
	events_lease=10 events_poll_ms=100)

# ost_dispatcher_start BUILD CONFIG DIR - starts `ostium --dispatcher` of
# DIR in the background (output to DIR/dispatcher.log), as a deployment
# whose web server spawns the workers runs it (mod_fcgid).
ost_dispatcher_start() {
	local build=$1 conf=$2 dir=$3
	ost_log "starting ostium --dispatcher ($conf)"
	ost_spawn "$dir" dispatcher "$dir/dispatcher.log" "$build/ostium" --dispatcher -c "$conf"
	ost_wait_started 10 "$dir" dispatcher "$dir/dispatcher.log" \
		grep -q 'delivering events' "$dir/dispatcher.log" || ost_die "ostium --dispatcher did not start"
}

# ost_test_servers_start BUILD DIR SERVER - starts in DIR a private MariaDB,
# the ostium pool of BUILD (2 workers, development mode, small Argon2 costs,
# 127.0.0.1 a trusted proxy so that tests may set X-Forwarded-For, workers
# recycled after 500 requests, outbound calls bounded to 3 s, the events
# settings OST_TEST_EVENTS) and the web server SERVER (one of
# OST_WEB_SERVERS) on a free loopback port; creates an administrator with a
# random email. Under apache-fcgid there is no pool: Apache spawns ostium
# as www-data (and `ostium --dispatcher` delivers the events), which is then
# given the configuration, the secrets and a
# sanitizer log directory of DIR (only). Apache's and nginx's workers run as
# www-data: DIR is made traversable (0711) and the socket mode 0666. Exports,
# and writes to DIR/env for a later shell to source: OSTIUM_URL,
# OSTIUM_BASE_URL (base_url), OSTIUM_WEB_SERVER, OSTIUM_POOL (master, or
# web-server under apache-fcgid), OSTIUM_LOG (where ostium logs: DIR/ostium.log
# or the web server's error log), OSTIUM_TEST_DIR, OSTIUM_ADMIN_EMAIL,
# OSTIUM_ADMIN_PASSWORD, OSTIUM_TESTCTL, and the sanitizer options that send
# any report of a server process or of ostiumctl to DIR/asan.PID or
# DIR/ubsan.PID (DIR/san/ under apache-fcgid). Writes DIR/state for testctl.
ost_test_servers_start() {
	local build=$1 dir=$2 server=$3 port url conf email password log san=$2 pool=master
	local extra=()
	port=$(ost_free_port)
	url=http://127.0.0.1:$port
	conf=$dir/ostium.conf
	if [[ $server != lighttpd ]]; then
		chmod 0711 "$dir"
		extra+=(socket_mode=0666)
	fi
	if [[ $server == apache-fcgid ]]; then
		san=$dir/san
		pool=web-server
		mkdir -p "$san"
		chown "$OST_WEB_USER" "$san"
		chmod 0700 "$san"
	fi
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:log_path=$san/asan"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$san/ubsan"
	ost_db_start "$dir" --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
		--innodb-flush-log-at-trx-commit=2
	ost_write_config "$conf" "$dir" base_url="$url" workers=2 development=yes \
		argon2_t=1 argon2_m=1024 argon2_p=1 trusted_proxies=127.0.0.1 \
		max_requests=500 session_ttl=3600 log_level=info outbound_timeout=3 "${OST_TEST_EVENTS[@]}" "${extra[@]}"
	ost_gen_keys "$build" "$conf" "$dir"
	ost_ctl "$build" "$conf" migrate
	printf 'OST_BUILD=%s\nOST_CONF=%s\nOST_SERVER=%s\nOST_PORT=%s\n' \
		"$build" "$conf" "$server" "$port" >"$dir/state"
	if [[ $pool == master ]]; then
		ost_ostium_start "$build" "$conf" "$dir"
	else
		chgrp "$OST_WEB_USER" "$conf"
		chmod 0640 "$conf"
		chown "$OST_WEB_USER" "$dir/pepper" "$dir/keys" "$dir/db-password"
	fi
	ost_web_server_start "$server" "$dir" "$port"
	# No master to run the events dispatchers: they run on their own.
	[[ $pool == master ]] || ost_dispatcher_start "$build" "$conf" "$dir"
	email="admin-$(ost_random_hex 6)@example.org"
	password=$(ost_create_admin "$build" "$conf" "$email")
	log=$dir/ostium.log
	[[ $pool == master ]] || log=$(ost_web_server_log "$server" "$dir")
	export OSTIUM_URL=$url OSTIUM_BASE_URL=$url OSTIUM_WEB_SERVER=$server \
		OSTIUM_POOL=$pool OSTIUM_LOG=$log OSTIUM_TEST_DIR=$dir OSTIUM_ADMIN_EMAIL=$email \
		OSTIUM_ADMIN_PASSWORD=$password OSTIUM_TESTCTL=$OST_TOP/scripts/testctl
	ost_test_env_write "$dir"
}

# ost_test_env_write DIR - writes DIR/env from the exported OSTIUM_* and
# sanitizer variables.
ost_test_env_write() {
	local v
	(
		umask 077
		for v in OSTIUM_URL OSTIUM_BASE_URL OSTIUM_WEB_SERVER OSTIUM_POOL OSTIUM_LOG \
			OSTIUM_TEST_DIR OSTIUM_ADMIN_EMAIL OSTIUM_ADMIN_PASSWORD OSTIUM_TESTCTL \
			ASAN_OPTIONS UBSAN_OPTIONS; do
			printf 'export %s=%q\n' "$v" "${!v}"
		done >"$1/env"
	)
}

# ost_test_servers_prefix DIR PREFIX - serves the Ostium of DIR (started by
# ost_test_servers_start) under PREFIX/ instead: stops the web server and the
# pool, sets base_url to http://127.0.0.1:PORT/PREFIX, starts both again
# (same port, same database and administrator). Exports OSTIUM_BASE_URL
# (OSTIUM_URL stays the server's root) and rewrites DIR/env.
ost_test_servers_prefix() {
	local dir=$1 prefix=$2 build conf server port base
	[[ $prefix =~ ^(/[A-Za-z0-9._-]+)+$ ]] || ost_die "bad path prefix '$prefix'"
	build=$(ost_state "$dir" OST_BUILD)
	conf=$(ost_state "$dir" OST_CONF)
	server=$(ost_state "$dir" OST_SERVER)
	port=$(ost_state "$dir" OST_PORT)
	base=http://127.0.0.1:$port$prefix
	ost_web_server_stop "$dir"
	ost_stop "$dir" ostium 30
	sed -i "s#^base_url = .*#base_url = $base#" "$conf"
	grep -qxF "base_url = $base" "$conf" || ost_die "base_url not set in $conf"
	if [[ $server == apache-fcgid ]]; then
		chgrp "$OST_WEB_USER" "$conf"
		chmod 0640 "$conf"
	fi
	[[ $server == apache-fcgid ]] || ost_ostium_start "$build" "$conf" "$dir"
	ost_web_server_start "$server" "$dir" "$port" "$prefix"
	export OSTIUM_BASE_URL=$base
	ost_test_env_write "$dir"
}

# ost_test_servers_production DIR - runs the Ostium of DIR (started by
# ost_test_servers_start, under a path prefix or not) outside development
# mode: stops the web server and the pool, sets development = no and an
# https base_url (same host, port and prefix), starts both again. The web
# server still listens on plain http: a test says it came over https with
# X-Forwarded-Proto, which Ostium believes from 127.0.0.1 (a trusted proxy),
# as it would from a TLS front. Exports OSTIUM_BASE_URL and rewrites DIR/env.
ost_test_servers_production() {
	local dir=$1 build conf server port base prefix
	build=$(ost_state "$dir" OST_BUILD)
	conf=$(ost_state "$dir" OST_CONF)
	server=$(ost_state "$dir" OST_SERVER)
	port=$(ost_state "$dir" OST_PORT)
	base=$(sed -n 's/^base_url = //p' "$conf")
	prefix=${base#http*://127.0.0.1:"$port"}
	[[ -z $prefix || $prefix =~ ^(/[A-Za-z0-9._-]+)+$ ]] || ost_die "bad base_url '$base' in $conf"
	base=https://127.0.0.1:$port$prefix
	ost_web_server_stop "$dir"
	ost_stop "$dir" ostium 30
	sed -i -e "s#^base_url = .*#base_url = $base#" -e 's#^development = .*#development = no#' "$conf"
	grep -qxF "base_url = $base" "$conf" || ost_die "base_url not set in $conf"
	grep -qxF "development = no" "$conf" || ost_die "development not set in $conf"
	if [[ $server == apache-fcgid ]]; then
		chgrp "$OST_WEB_USER" "$conf"
		chmod 0640 "$conf"
	fi
	[[ $server == apache-fcgid ]] || ost_ostium_start "$build" "$conf" "$dir"
	ost_web_server_start "$server" "$dir" "$port" "$prefix"
	export OSTIUM_BASE_URL=$base
	ost_test_env_write "$dir"
}

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

# Debian packages, by what needs them: build, run (demo), test, bench.
declare -A OST_PACKAGES=(
	[build]="build-essential autoconf automake libtool pkg-config libfcgi-dev
		libxml2-dev libmariadb-dev libgcrypt20-dev libcurl4-openssl-dev
		libjansson-dev check"
	[run]="mariadb-server mariadb-client lighttpd curl"
	[test]="chromium wrk"
	[bench]="wrk"
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
ost_install_packages() {
	local missing=() pkg
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
	apt-get install -y -q "${missing[@]}" </dev/null
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

# --- lighttpd ----------------------------------------------------------

# ost_lighttpd_conf DIR PORT [PREFIX=SOCKET...] - writes DIR/lighttpd.conf:
# 127.0.0.1:PORT; /static/ from www/static by lighttpd itself; each PREFIX
# to the FastCGI SOCKET given; everything else to DIR/ostium.sock.
ost_lighttpd_conf() {
	local dir=$1 port=$2 route prefix sock
	shift 2
	mkdir -p "$dir/htdocs" "$dir/uploads"
	{
		cat <<-EOF
			# lighttpd.conf - written by scripts/lib.sh (ost_lighttpd_conf)
			server.modules = ("mod_alias", "mod_fastcgi")
			server.bind = "127.0.0.1"
			server.port = $port
			server.document-root = "$dir/htdocs"
			server.errorlog = "$dir/lighttpd-error.log"
			server.upload-dirs = ("$dir/uploads")
			server.tag = "lighttpd"
			# Large enough that Ostium's own, smaller, header limits answer.
			server.max-request-field-size = 65536
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
			alias.url = ("/static/" => "$OST_TOP/www/static/")
			\$HTTP["url"] !~ "^/static/" {
			  fastcgi.server = (
		EOF
		for route in "$@"; do
			prefix=${route%%=*}
			sock=${route#*=}
			printf '    "%s" => (("socket" => "%s", "check-local" => "disable")),\n' \
				"$prefix" "$sock"
		done
		cat <<-EOF
			    "/" => (("socket" => "$dir/ostium.sock", "check-local" => "disable",
			             "fix-root-scriptname" => "enable"))
			  )
			}
		EOF
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

# ost_web_server_start SERVER DIR PORT - the web server SERVER in front of
# the pool of DIR, on 127.0.0.1:PORT. apache and nginx get a branch here
# (a config writer beside ost_lighttpd_conf, and a start).
ost_web_server_start() {
	case $1 in
	lighttpd)
		ost_lighttpd_conf "$2" "$3"
		ost_lighttpd_start "$2" "$3"
		;;
	*) ost_die "web server $1: not supported yet (lighttpd only)" ;;
	esac
}

# --- the servers of the HTTP and browser tests ---------------------------

# ost_test_servers_start BUILD DIR SERVER - starts in DIR a private MariaDB,
# the ostium pool of BUILD (2 workers, development mode, small Argon2 costs,
# 127.0.0.1 a trusted proxy so that tests may set X-Forwarded-For, workers
# recycled after 500 requests) and the web server SERVER on a free loopback
# port; creates an administrator with a random email. Exports, and writes to
# DIR/env for a later shell to source: OSTIUM_URL, OSTIUM_TEST_DIR,
# OSTIUM_ADMIN_EMAIL, OSTIUM_ADMIN_PASSWORD, OSTIUM_TESTCTL, and the
# sanitizer options that send any report of a server process or of
# ostiumctl to DIR/asan.PID or DIR/ubsan.PID. Writes DIR/state for testctl.
ost_test_servers_start() {
	local build=$1 dir=$2 server=$3 port url conf email password
	port=$(ost_free_port)
	url=http://127.0.0.1:$port
	conf=$dir/ostium.conf
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:log_path=$dir/asan"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$dir/ubsan"
	ost_db_start "$dir" --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
		--innodb-flush-log-at-trx-commit=2
	ost_write_config "$conf" "$dir" base_url="$url" workers=2 development=yes \
		argon2_t=1 argon2_m=1024 argon2_p=1 trusted_proxies=127.0.0.1 \
		max_requests=500 session_ttl=3600 log_level=info
	ost_gen_keys "$build" "$conf" "$dir"
	ost_ctl "$build" "$conf" migrate
	ost_ostium_start "$build" "$conf" "$dir"
	ost_web_server_start "$server" "$dir" "$port"
	email="admin-$(ost_random_hex 6)@example.org"
	password=$(ost_create_admin "$build" "$conf" "$email")
	printf 'OST_BUILD=%s\nOST_CONF=%s\n' "$build" "$conf" >"$dir/state"
	export OSTIUM_URL=$url OSTIUM_TEST_DIR=$dir OSTIUM_ADMIN_EMAIL=$email \
		OSTIUM_ADMIN_PASSWORD=$password OSTIUM_TESTCTL=$OST_TOP/scripts/testctl
	(
		umask 077
		for v in OSTIUM_URL OSTIUM_TEST_DIR OSTIUM_ADMIN_EMAIL \
			OSTIUM_ADMIN_PASSWORD OSTIUM_TESTCTL ASAN_OPTIONS UBSAN_OPTIONS; do
			printf 'export %s=%q\n' "$v" "${!v}"
		done >"$dir/env"
	)
}

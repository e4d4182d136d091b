#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine with Python >= 3.11:
#   bash packaging/dev.sh app  [app arguments]    start the GUI (first start builds the demo county)
#   bash packaging/dev.sh test [pytest arguments] run the whole test suite headless
#   bash packaging/dev.sh build [build.py arguments] the one-folder app (PyInstaller), checked headless
# It installs what is missing (Debian packages Qt needs, a CJK font, the virtualenv) and then runs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SHUANGSUIJI_VENV:-$ROOT/.venv}"
MODE="${1:-}"
[ $# -gt 0 ] && shift

# Debian packages: Qt's xcb platform on a real display, EGL/GL for offscreen tests, a CJK font, PDF tools.
GUI_PACKAGES="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libdbus-1-3 libfontconfig1 fonts-wqy-zenhei"
TEST_PACKAGES="libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 fonts-wqy-zenhei poppler-utils"
# PyInstaller reads shared-library dependencies with objdump (binutils).
BUILD_PACKAGES="$TEST_PACKAGES binutils"

say() { printf '[dev.sh] %s\n' "$*" >&2; }

python_bin() {
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    say "需要 Python 3.11 或更高版本 (Python >= 3.11 is required)."
    exit 2
}

apt_install() {
    command -v dpkg-query >/dev/null 2>&1 || return 0  # not Debian/Ubuntu: the user installs Qt's libraries
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            say "缺少系统软件包 (missing Debian packages): ${missing[*]} — 请用管理员安装 (install them as root)."
            return 0
        fi
    fi
    say "安装系统软件包 (installing): ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {
    local py
    py="$(python_bin)"
    # A first install interrupted half-way (Ctrl+C during the pip upgrade) leaves a venv without a working
    # pip: start that venv again rather than fail on every later run.
    if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        say "虚拟环境不完整，重新创建 (the virtualenv is incomplete; recreating it) …"
        rm -rf "$VENV"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        if ! "$py" -m venv "$VENV" 2>/dev/null; then
            rm -rf "$VENV"
            local ver
            ver="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            apt_install "python${ver}-venv"
            "$py" -m venv "$VENV"
        fi
    fi
    # Reinstall only when pyproject.toml changed since the last install.
    local stamp="$VENV/.pyproject.sha256" want
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "安装 Python 依赖 (installing Python packages) …"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e "$ROOT[dev]"
        echo "$want" >"$stamp"
    fi
}

case "$MODE" in
app)
    # shellcheck disable=SC2086
    apt_install $GUI_PACKAGES
    ensure_venv
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        say "没有图形显示 (no display): 请在桌面环境中运行，或使用 xvfb-run bash packaging/dev.sh app"
        exit 2
    fi
    cd "$ROOT"
    exec "$VENV/bin/python" -m app "$@"
    ;;
test)
    # shellcheck disable=SC2086
    apt_install $TEST_PACKAGES
    ensure_venv
    cd "$ROOT"
    export QT_QPA_PLATFORM=offscreen
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
build)
    # shellcheck disable=SC2086
    apt_install $BUILD_PACKAGES
    ensure_venv
    cd "$ROOT"
    export QT_QPA_PLATFORM=offscreen
    exec "$VENV/bin/python" packaging/build.py "$@"
    ;;
*)
    echo "用法 (usage): bash packaging/dev.sh app [参数] | test [pytest 参数] | build [build.py 参数]" >&2
    exit 2
    ;;
esac

"""Linux Landlock from Python (ctypes), unprivileged: after ``restrict_writes(dirs)`` this
process and every process it starts (subprocesses, shells, double forks) can write only beneath
``dirs`` (and to /dev/null-like devices). Reading stays allowed everywhere. The kernel enforces
it: ``dir_fd`` tricks, raw ``sqlite3``, symlinks, late ``atexit`` writes are refused with EACCES.

Standard library only; never raises: returns a description of what is active, or why not.
See https://docs.kernel.org/userspace-api/landlock.html."""

import ctypes
import os
import platform
import sys

# Syscall numbers are the same on x86_64 and aarch64 (asm-generic table).
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_PR_SET_NO_NEW_PRIVS = 38
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1

_WRITE_FILE = 1 << 1
_REMOVE_DIR = 1 << 4
_REMOVE_FILE = 1 << 5
_MAKE_CHAR = 1 << 6
_MAKE_DIR = 1 << 7
_MAKE_REG = 1 << 8
_MAKE_SOCK = 1 << 9
_MAKE_FIFO = 1 << 10
_MAKE_BLOCK = 1 << 11
_MAKE_SYM = 1 << 12
_REFER = 1 << 13  # ABI 2
_TRUNCATE = 1 << 14  # ABI 3

# Character devices a process may write to whatever it is (pytest's capture, /dev/null).
_DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/tty")


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def abi_version():
    """The Landlock ABI the kernel offers (0 when none)."""
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "aarch64"):
        return 0
    try:
        libc = _libc()
        v = libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
        return v if v > 0 else 0
    except Exception:
        return 0


def restrict_writes(dirs):
    """Allow writes only beneath ``dirs`` from now on. Returns ``(True, "landlock ABI n")`` or
    ``(False, reason)``."""
    abi = abi_version()
    if abi < 1:
        return False, "Landlock is not available (Linux 5.13+ with Landlock enabled)"
    libc = _libc()
    handled = _WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKE_CHAR | _MAKE_DIR | _MAKE_REG
    handled |= _MAKE_SOCK | _MAKE_FIFO | _MAKE_BLOCK | _MAKE_SYM
    if abi >= 2:
        handled |= _REFER
    if abi >= 3:
        handled |= _TRUNCATE
    file_rights = _WRITE_FILE | (_TRUNCATE if abi >= 3 else 0)
    attr = _RulesetAttr(handled)
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), ctypes.c_uint32(0))
    if ruleset < 0:
        return False, "landlock_create_ruleset failed (errno %d)" % ctypes.get_errno()
    try:
        rules = [(d, handled) for d in dirs if d and os.path.isdir(d)]
        rules += [(p, file_rights) for p in _DEVICES if os.path.exists(p)]
        for path, rights in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                rule = _PathBeneathAttr(rights, fd)
                if libc.syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0)) < 0:
                    return False, "landlock_add_rule(%s) failed (errno %d)" % (path, ctypes.get_errno())
            finally:
                os.close(fd)
        if libc.prctl(ctypes.c_int(_PR_SET_NO_NEW_PRIVS), ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
            return False, "prctl(PR_SET_NO_NEW_PRIVS) failed (errno %d)" % ctypes.get_errno()
        if libc.syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            return False, "landlock_restrict_self failed (errno %d)" % ctypes.get_errno()
    finally:
        os.close(ruleset)
    return True, "landlock ABI %d" % abi

# SPDX-License-Identifier: Apache-2.0
"""flopgate from Python: the compute-threshold gate a training launcher
calls before it allocates a cluster.

    import flopgate

    result = flopgate.check(["runs/plan.yaml"], as_of="2026-11-30")
    if not result["gate"]["passed"]:
        for run in result["runs"]:
            for finding in run["findings"]:
                if finding["gate_fails"]:
                    print(run["id"], finding["rule"], finding["outcome"])

    try:
        flopgate.estimate("runs/typo.yaml")
    except flopgate.Error as e:
        print(e.file, e.line, e.column, e.message)

`check` and `estimate` return the document `flopgate check --format json`
and `flopgate estimate --format json` print, parsed (its fields: the
comment of include/flopgate/result.h, and flopgate(1)), and raise
`flopgate.Error` on bad input, naming the file, line and column, exactly
as the command line does.  The gate failing is not an error: read
``result["gate"]["passed"]``.

Nothing is compiled here: the package calls the shared library
(libflopgate.so.0, `fg_check_json` in flopgate/check.h) through ctypes.
It looks for the library, in order, at

  1. $FLOPGATE_LIB (a path to the library file);
  2. the lib directory of the installation the package belongs to
     (`make install` records where, relative to the package);
  3. lib/ of the source tree, for a package used from python/ in it;
  4. wherever the system's loader finds libflopgate.so.0.

and for the rules (the rulesets and hardware.yaml), unless a call names
them, at $FLOPGATE_RULES, then the installation's share/flopgate/rules
(or the source tree's rules/), then the directory compiled into the
library (`fg_rules_default_dir`).  $FLOPGATE_HARDWARE names another
accelerator catalog, as for the command.
"""

import ctypes
import datetime
import json
import os

__all__ = ["Error", "check", "estimate", "rules_dir", "library_path"]

_HERE = os.path.dirname(os.path.abspath(__file__))
_SONAME = "libflopgate.so.0"

# FG_E* of flopgate/error.h, by name, for Error.kind.
_KINDS = {-1: "input", -2: "usage", -3: "store", -4: "integrity",
          -5: "memory", -6: "io", -7: "notfound"}


class Error(Exception):
    """A call the library refused: bad input, bad usage, a store failure.

    Attributes: ``file`` (None when the error is not about a file),
    ``line`` and ``column`` (1-based; None when not known), ``message``,
    ``code`` (the library's negative FG_E* code) and ``kind`` ("input",
    "usage", "store", "integrity", "memory", "io", "notfound").
    ``str(error)`` is "FILE:LINE:COL: message", as the command line
    prints it.
    """

    def __init__(self, message, file=None, line=None, column=None,
                 code=-1, text=None):
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.code = code
        self.kind = _KINDS.get(code, "error")
        self._text = text
        super().__init__(str(self))

    def __str__(self):
        if self._text:
            return self._text
        where = ":".join(str(p) for p in (self.file, self.line, self.column)
                         if p)
        return "%s: %s" % (where, self.message) if where else self.message


class _FgError(ctypes.Structure):
    # struct fg_error, flopgate/error.h
    _fields_ = [("code", ctypes.c_int),
                ("file", ctypes.c_char * 512),
                ("line", ctypes.c_int),
                ("column", ctypes.c_int),
                ("message", ctypes.c_char * 1024)]


class _FgCheckRequest(ctypes.Structure):
    # struct fg_check_request, flopgate/check.h
    _fields_ = [("estimate_only", ctypes.c_int),
                ("as_of", ctypes.c_char_p),
                ("rules_dir", ctypes.c_char_p),
                ("rules", ctypes.POINTER(ctypes.c_char_p)),
                ("nrules", ctypes.c_size_t),
                ("catalog", ctypes.c_char_p),
                ("waivers", ctypes.c_char_p),
                ("fail_on", ctypes.c_char_p),
                ("record", ctypes.c_char_p),
                ("actor", ctypes.c_char_p)]


def _installed():
    """(lib dir, rules dir) of the installation this package is part of,
    or (None, None) when it is not installed (_install.py is written by
    `make install`)."""
    try:
        from . import _install
    except ImportError:
        return None, None
    return (os.path.normpath(os.path.join(_HERE, _install.LIBDIR)),
            os.path.normpath(os.path.join(_HERE, _install.RULESDIR)))


def _source_tree(name):
    """name (lib, rules) in the source tree around python/flopgate."""
    return os.path.normpath(os.path.join(_HERE, "..", "..", name))


def _library_candidates():
    env = os.environ.get("FLOPGATE_LIB")
    if env:
        return [env]
    libdir, _ = _installed()
    paths = []
    if libdir:
        paths.append(os.path.join(libdir, _SONAME))
    paths.append(os.path.join(_source_tree("lib"), _SONAME))
    return [p for p in paths if os.path.exists(p)] + [_SONAME]


_lib = None
_lib_path = None


def _library():
    global _lib, _lib_path
    if _lib is not None:
        return _lib
    tried = []
    for path in _library_candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
            continue
        lib.fg_check_json.argtypes = [
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_char_p), ctypes.c_size_t,
            ctypes.POINTER(_FgCheckRequest), ctypes.POINTER(_FgError)]
        lib.fg_check_json.restype = ctypes.c_int
        lib.fg_free.argtypes = [ctypes.c_void_p]
        lib.fg_free.restype = None
        lib.fg_rules_default_dir.argtypes = []
        lib.fg_rules_default_dir.restype = ctypes.c_char_p
        lib.fg_error_format.argtypes = [ctypes.POINTER(_FgError),
                                        ctypes.c_char_p, ctypes.c_size_t]
        lib.fg_error_format.restype = ctypes.c_char_p
        _lib, _lib_path = lib, path
        return lib
    raise OSError("cannot load %s; tried: %s (set FLOPGATE_LIB to its "
                  "path)" % (_SONAME, "; ".join(tried)))


def library_path():
    """The path the shared library was loaded from (loading it now)."""
    _library()
    return _lib_path


def rules_dir():
    """The rules directory calls use when they do not name one:
    $FLOPGATE_RULES, the installation's, the source tree's, else the one
    compiled into the library (which may not exist)."""
    env = os.environ.get("FLOPGATE_RULES")
    if env:
        return env
    _, installed = _installed()
    for d in (installed, _source_tree("rules")):
        if d and os.path.isdir(d):
            return d
    return os.fsdecode(_library().fg_rules_default_dir())


def _paths(value, what):
    """A path or a list of paths as a list of bytes."""
    if isinstance(value, (str, bytes, os.PathLike)):
        value = [value]
    try:
        return [os.fsencode(p) for p in value]
    except TypeError:
        raise TypeError("%s: a path or a list of paths, not %r"
                        % (what, value)) from None


def _text(value):
    return None if value is None else os.fsencode(value)


def _call(paths, estimate_only, as_of, rules, record, waivers, fail_on,
          actor):
    lib = _library()
    run_paths = _paths(paths, "paths")
    rule_paths = [] if rules is None else _paths(rules, "rules")
    if isinstance(as_of, datetime.date):
        as_of = as_of.isoformat()
    c_paths = (ctypes.c_char_p * max(len(run_paths), 1))(*run_paths)
    c_rules = (ctypes.c_char_p * max(len(rule_paths), 1))(*rule_paths)
    req = _FgCheckRequest(
        estimate_only=1 if estimate_only else 0,
        as_of=_text(as_of),
        rules_dir=_text(rules_dir()),
        rules=c_rules,
        nrules=len(rule_paths),
        catalog=_text(os.environ.get("FLOPGATE_HARDWARE") or None),
        waivers=_text(waivers),
        fail_on=_text(fail_on),
        record=_text(record),
        actor=_text(actor))
    out = ctypes.c_void_p()
    err = _FgError()
    rc = lib.fg_check_json(ctypes.byref(out), c_paths, len(run_paths),
                           ctypes.byref(req), ctypes.byref(err))
    if rc < 0:
        buf = ctypes.create_string_buffer(2048)
        text = lib.fg_error_format(ctypes.byref(err), buf, len(buf))
        raise Error(err.message.decode("utf-8", "replace"),
                    file=os.fsdecode(err.file) or None,
                    line=err.line or None, column=err.column or None,
                    code=rc, text=text.decode("utf-8", "replace"))
    try:
        return json.loads(ctypes.string_at(out.value).decode("utf-8"))
    finally:
        lib.fg_free(out)


def check(paths, as_of=None, rules=None, record=None, *, waivers=None,
          fail_on=None, actor=None):
    """Evaluates every run in paths against the rulesets, as
    `flopgate check --format json` does, and returns its document as a
    dict: "runs" with each run's "findings", and the "gate".

    paths    a run file, a directory (every *.yaml/*.yml under it) or
             "-" (standard input), or a list of them
    as_of    the date to evaluate as of: "YYYY-MM-DD" or a datetime.date
             (default: today, UTC)
    rules    ruleset files or directories to use instead of the shipped
             rules (a path or a list, as --rules)
    record   the audit database to record the evaluation into (created
             when missing; its earlier evaluations keep deadlines put);
             None records nothing, as --no-record ("evaluation_id" is
             then None)
    waivers  a waiver file (--waivers)
    fail_on  "triggered" (default), "near" or "never" (--fail-on)
    actor    who ran it, stored with the recording (default: $USER)

    Raises flopgate.Error (with file, line, column) on bad input and
    when the store fails; nothing is recorded then.  A failing gate is
    not an error: result["gate"]["passed"] is False.
    """
    if actor is None:
        actor = os.environ.get("USER")
    return _call(paths, False, as_of, rules, record, waivers, fail_on,
                 actor)


def estimate(paths, as_of=None, rules=None):
    """The training compute of every run in paths, as
    `flopgate estimate --format json` prints it, as a dict: per run,
    "compute" with the cumulative range, per phase and per method, time,
    energy and cost.  The rules are read for the vocabulary of run
    attributes only (a typo is refused here too).  Arguments as for
    check(); raises flopgate.Error on bad input.
    """
    return _call(paths, True, as_of, rules, None, None, None, None)

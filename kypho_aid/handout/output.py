"""The handout as files: saved without ever replacing one by accident, printed to PDF by
headless Debian chromium (silent on the network), its pages counted."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from kypho_aid.decision import InputError
from kypho_aid.exceptions import KyphoAidError

#: How long chromium may take to print the handout, in seconds.
CHROMIUM_TIMEOUT = 120
#: Every chromium the project starts (handout PDF, slides, browser tests, benchmarks) gets
#: these: headless-friendly as root, and silent on the network. Background networking off
#: is not enough (it still looked up accounts.google.com and others); the resolver rule
#: answers every name lookup with "not found" without asking DNS; 127.0.0.1 (the app and
#: lab under test) is excepted, as the rule would otherwise map that address too.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
)


# --- files ----------------------------------------------------------------------------


def _check_target(path: Path, *, overwrite: bool) -> None:
    """Raise KyphoAidError unless ``path`` can be written: its folder exists, it is no folder."""
    try:
        folder_exists, is_folder, exists = path.parent.is_dir(), path.is_dir(), path.exists()
    except OSError as err:  # such as a name too long for the file system
        raise KyphoAidError(f"cannot write {path}: {err.strerror or err}") from err
    if not folder_exists:
        raise KyphoAidError(f"cannot write {path}: the folder {path.parent} does not exist")
    if is_folder:
        raise KyphoAidError(f"cannot write {path}: it is a folder")
    if exists and not overwrite:
        raise KyphoAidError(f"{path} already exists; use overwrite=True (--force) to replace it")


def _write_atomic(path: Path, data: bytes, *, overwrite: bool) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then move it into place."""
    _check_target(path, overwrite=overwrite)
    folder = path.parent
    # a short stem keeps the temporary name within the file system's limit when path's is near it
    temporary = folder / f".{path.name[:32]}.{secrets.token_hex(6)}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            temporary.replace(path)
        else:
            try:
                os.link(temporary, path)  # fails, rather than replaces, if path appeared meanwhile
            except FileExistsError:
                raise KyphoAidError(
                    f"{path} already exists; use overwrite=True (--force) to replace it"
                ) from None
            except OSError:  # no hard links on this file system
                if path.exists():
                    raise KyphoAidError(
                        f"{path} already exists; use overwrite=True (--force) to replace it"
                    ) from None
                temporary.replace(path)
    except (OSError, ValueError) as err:  # ValueError: a NUL character in the name
        raise KyphoAidError(
            f"cannot write {path}: {getattr(err, 'strerror', None) or err}"
        ) from err
    finally:
        with contextlib.suppress(OSError, ValueError):
            temporary.unlink(missing_ok=True)
    return path


def write_handout(path: str | Path, html: str, *, overwrite: bool = False) -> Path:
    """Save a handout as UTF-8, atomically (a temporary file beside it, then moved into place).

    Raises
    ------
    KyphoAidError
        If the file exists and ``overwrite`` is False, its folder does not exist, or it cannot
        be written; the message names the path. Nothing else is left behind.
    """
    if not isinstance(html, str):
        raise InputError("html", f"expected the handout as text (str), got {type(html).__name__}")
    if not isinstance(path, str | os.PathLike):
        raise InputError("path", f"expected a file path (str or Path), got {type(path).__name__}")
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate, which build_handout never leaves
        raise InputError("html", f"cannot be saved as UTF-8: {err.reason}") from None
    return _write_atomic(Path(path), data, overwrite=overwrite)


def find_chromium(chromium: str | Path | None = None) -> str:
    """Find the chromium to print with: the argument, ``KYPHO_AID_CHROMIUM``, or on the PATH.

    Raises
    ------
    KyphoAidError
        If none is found; the message says how to install it.
    """
    install = "install it with `apt-get install chromium` (Debian) or set KYPHO_AID_CHROMIUM"
    for given, where in (
        (chromium, "the chromium argument"),
        (os.environ.get("KYPHO_AID_CHROMIUM"), "KYPHO_AID_CHROMIUM"),
    ):
        if given:
            found = shutil.which(str(given))
            if found is None:
                raise KyphoAidError(f"chromium not found at {given} ({where}); {install}")
            return found
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise KyphoAidError(f"chromium is needed to print a PDF and was not found; {install}")


def handout_pdf(
    html_path: str | Path,
    pdf_path: str | Path,
    *,
    overwrite: bool = False,
    chromium: str | Path | None = None,
) -> Path:
    """Print a saved handout to PDF with headless chromium.

    Chromium runs with a throw-away profile in a temporary folder (deleted afterwards) and
    prints there; the PDF is then moved into place atomically. Nothing else is written.

    Raises
    ------
    KyphoAidError
        If the HTML file is missing, the PDF exists and ``overwrite`` is False, its folder
        does not exist, chromium is missing (the message says how to install it) or fails.
    """
    source, target = Path(html_path), Path(pdf_path)
    if not source.is_file():
        raise KyphoAidError(f"{source} is not a file; write the handout first")
    _check_target(target, overwrite=overwrite)
    binary = find_chromium(chromium)
    with tempfile.TemporaryDirectory(prefix="kypho-aid-pdf-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        printed = work / "handout.pdf"
        environment = {
            **os.environ,
            "HOME": str(work),
            "XDG_CONFIG_HOME": str(work / "config"),
            "XDG_CACHE_HOME": str(work / "cache"),
        }
        command = [
            binary,
            "--headless",
            *CHROMIUM_ARGS,
            "--no-pdf-header-footer",
            f"--user-data-dir={work / 'profile'}",
            f"--print-to-pdf={printed}",
            source.resolve().as_uri(),
        ]
        try:
            result = subprocess.run(
                command,
                cwd=work,
                env=environment,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=CHROMIUM_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as err:
            raise KyphoAidError(
                f"chromium took longer than {CHROMIUM_TIMEOUT} s to print {source}"
            ) from err
        except OSError as err:
            raise KyphoAidError(f"cannot run chromium ({binary}): {err}") from err
        data = printed.read_bytes() if printed.is_file() else b""
        if not data.startswith(b"%PDF"):
            detail = (result.stderr or "").strip().splitlines()[-3:]
            raise KyphoAidError(
                f"chromium did not print {source} (exit code {result.returncode})"
                + (f": {' '.join(detail)}" if detail else "")
            )
    return _write_atomic(target, data, overwrite=overwrite)


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def count_pdf_pages(path: str | Path) -> int:
    """Count the pages of a PDF: its ``/Type /Page`` objects (not ``/Pages``)."""
    return len(_PAGE_OBJECT.findall(Path(path).read_bytes()))

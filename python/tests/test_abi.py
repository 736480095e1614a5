"""The header is the ABI: the library exports exactly the functions include/fastmva.h declares.

Also the shape of the shared object C users link against (its SONAME, no TLS blocks that make
dlopen fail), and that the Python binding covers every declared function.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fastmva import _lib
from conftest import HEADER, REPO_ROOT

if shutil.which("nm") is None or shutil.which("readelf") is None:
    pytest.skip("binutils (nm, readelf) not installed", allow_module_level=True)


def header_functions():
    text = HEADER.read_text()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)  # comments mention functions too
    text = re.sub(r"//[^\n]*", " ", text)
    return set(re.findall(r"\b(fmva_\w+)\s*\(", text))


def libraries():
    """The loaded library, and the C users' copy under build/lib if build.sh made one."""
    paths = [Path(_lib.LIBRARY_PATH)]
    c_copy = REPO_ROOT / "build" / "lib" / "libfastmva.so.0"
    if c_copy.exists() and c_copy.resolve() != paths[0].resolve():
        paths.append(c_copy)
    return paths


def exported(path):
    out = subprocess.run(["nm", "-D", "--defined-only", str(path)], check=True,
                         capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def test_header_parse_finds_the_api():
    functions = header_functions()
    assert {"fmva_version", "fmva_last_error", "fmva_kmeans_fit"} <= functions
    assert "fmva_progress_fn" not in functions  # a typedef, not a function


@pytest.mark.parametrize("path", libraries(), ids=lambda p: p.name)
def test_exports_equal_header(path):
    symbols = exported(path)
    fmva = {s for s in symbols if s.startswith("fmva_")}
    assert fmva == header_functions()
    # Nothing else leaks into the dynamic symbol table (Go exports, cgo helpers).
    assert symbols == fmva


@pytest.mark.parametrize("path", libraries(), ids=lambda p: p.name)
def test_soname(path):
    out = subprocess.run(["readelf", "-d", str(path)], check=True, capture_output=True,
                         text=True).stdout
    assert re.search(r"\(SONAME\)\s+Library soname: \[libfastmva\.so\.0\]", out), out


@pytest.mark.parametrize("path", libraries(), ids=lambda p: p.name)
def test_static_tls_fits_dlopen(path):
    """A Go c-shared library is marked STATIC_TLS, and a dlopen()ed library's static TLS must fit
    in glibc's small surplus (rtld.optional_static_tls, 512 bytes by default): a bigger __thread
    block makes `import fastmva` fail with "cannot allocate memory in static TLS block"."""
    out = subprocess.run(["readelf", "-lW", str(path)], check=True, capture_output=True,
                         text=True).stdout
    tls = [line.split() for line in out.splitlines() if line.split()[:1] == ["TLS"]]
    for fields in tls:
        memsz = int(fields[5], 16)
        assert memsz <= 256, f"{path.name}: {memsz} bytes of TLS"


def test_binding_declares_every_header_function():
    assert set(_lib.SIGNATURES) == header_functions()

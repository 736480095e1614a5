"""Static check of the Julia binding (examples/julia/FastMVA.jl) against include/fastmva.h.

No Julia can run in CI, so the binding is checked as text: every ccall names a function the header
declares, with the same return kind and the same number and kinds of arguments, and each Julia
struct mirrors the header struct field by field (name, order, C type).
"""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADER = (ROOT / "include" / "fastmva.h").read_text()
JULIA = (ROOT / "examples" / "julia" / "FastMVA.jl").read_text()

# C type (after dropping const and the parameter name) → the kind a Julia type must have.
C_KIND = {
    "int": "int32", "int32_t": "int32", "int64_t": "int64", "uint64_t": "uint64", "size_t": "size",
    "double": "double", "void": "void", "fmva_progress_fn": "ptr",
}
JULIA_KIND = {
    "Cint": "int32", "Int32": "int32", "Int64": "int64", "UInt64": "uint64", "Csize_t": "size",
    "Cdouble": "double", "Cvoid": "void", "Cstring": "ptr",
}


def c_kind(decl: str) -> str:
    decl = decl.replace("const", " ").strip()
    if "*" in decl:
        return "ptr"
    words = decl.split()
    # "int32_t n_threads" → the type is every word but the last (the name), here one word.
    ctype = words[0] if len(words) == 1 else " ".join(words[:-1])
    return C_KIND[ctype]


def julia_kind(t: str) -> str:
    t = t.strip()
    if t.startswith(("Ref{", "Ptr{")):
        return "ptr"
    return JULIA_KIND[t]


def header_functions():
    funcs = {}
    for ret, name, args in re.findall(r"^(?:const\s+)?([\w ]+?\**)\s*\b(fmva_\w+)\(([^)]*)\);", HEADER, re.M):
        args = " ".join(args.split())
        kinds = [] if args in ("", "void") else [c_kind(a) for a in args.split(",")]
        funcs[name] = (c_kind(ret + " r"), kinds)
    return funcs


def split_top(s: str):
    """Split a Julia tuple body on commas that are not inside braces."""
    out, depth, cur = [], 0, ""
    for ch in s:
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [p.strip() for p in out if p.strip()]


def julia_ccalls(text=JULIA):
    pat = re.compile(r"ccall\(\(:(\w+),\s*libfastmva\),\s*(\w+),\s*\(([^()]*)\)", re.S)
    return [(name, ret, split_top(args)) for name, ret, args in pat.findall(text)]


def ccall_mismatches(text=JULIA):
    """Every way the ccalls in text disagree with the header, as readable lines."""
    funcs = header_functions()
    problems = []
    for name, ret, args in julia_ccalls(text):
        if name not in funcs:
            problems.append(f"Julia calls {name}, which the header does not declare")
            continue
        c_ret, c_args = funcs[name]
        got = [julia_kind(a) for a in args]
        if julia_kind(ret) != c_ret:
            problems.append(f"{name}: Julia expects a {julia_kind(ret)} result, the header returns {c_ret}")
        if got != c_args:
            problems.append(f"{name}: Julia passes {got}, the header takes {c_args}")
    return problems


def header_struct(name):
    body = re.search(r"typedef struct %s \{(.*?)\} %s;" % (name, name), HEADER, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    fields = []
    for decl in body.split(";"):
        decl = decl.strip()
        if not decl:
            continue
        # "int64_t n_rows, n_cols" declares two fields of the first one's base type.
        first, *more = [d.strip() for d in decl.split(",")]
        base = first.split()[:-1]
        for d in [first] + [" ".join(base + [m]) for m in more]:
            fields.append((d.split()[-1].lstrip("*"), c_kind(d)))
    return fields


def julia_struct(name):
    body = re.search(r"struct %s\n(.*?)\nend" % name, JULIA, re.S).group(1)
    return [(f.split("::")[0].strip(), julia_kind(f.split("::")[1])) for f in body.strip().splitlines()]


def test_every_ccall_matches_the_header():
    assert len(julia_ccalls()) >= 5, "the parser found too few ccalls: it is broken"
    assert ccall_mismatches() == []


def test_svd_is_bound():
    # The SVD entry points are among the checked ccalls (so a wrong one would fail above).
    names = {name for name, _, _ in julia_ccalls()}
    assert {"fmva_svd_params_init", "fmva_svd_result_init", "fmva_svd"} <= names


@pytest.mark.parametrize("c_name, julia_name", [
    ("fmva_matrix", "FMVAMatrix"), ("fmva_kmeans_params", "KMeansParams"),
    ("fmva_svd_params", "SVDParams"), ("fmva_svd_result", "SVDResult"),
])
def test_structs_mirror_the_header(c_name, julia_name):
    assert julia_struct(julia_name) == header_struct(c_name)


def test_checker_catches_a_wrong_binding():
    # The checker must be able to fail: drop the n_threads argument of a predict call, and
    # call a function the header does not have.
    wrong = JULIA.replace("Ptr{Cvoid}, Int32, Ptr{Int32}", "Ptr{Cvoid}, Ptr{Int32}")
    wrong += "\nccall((:fmva_no_such_thing, libfastmva), Cint, ())\n"
    problems = ccall_mismatches(wrong)
    assert any("fmva_kmeans_predict" in p for p in problems)
    assert any("fmva_no_such_thing" in p for p in problems)

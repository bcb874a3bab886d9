"""Property-based tests: mutated scenario files and tables always end in exit code 2 with a message
naming the file and the place, never in a traceback."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app

FIXTURE = Path(__file__).parents[1] / "fixtures" / "tiny"
runner = CliRunner()

NUMERIC = {
    "regions": ["lon", "lat", "energy_budget", "max_new_industries"],
    "sites": ["land_ha", "land_price", "lon", "lat", "cost_factor", "cap_research"],
    "industries": ["demand", "overcapacity", "max_hosts", "min_hosts"],
    "functions": ["land_per_unit", "setup_cost", "unit_cost", "min_scale", "max_scale", "support_ratio",
                  "energy_per_unit", "req_research"],
}
CHOICES = {"regions": ["tier"], "sites": ["zone"], "industries": ["category"], "functions": ["function"]}
REQUIRED = {"regions": ["id", "name", "name_zh", "tier", "lon", "lat"],
            "sites": ["id", "region", "zone", "land_ha", "land_price", "lon", "lat"],
            "industries": ["id", "name", "name_zh", "category", "demand"],
            "functions": ["industry", "function", "land_per_unit", "setup_cost", "unit_cost", "min_scale"]}
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

not_a_number = st.text(min_size=1, max_size=8).filter(lambda t: _not_number(t) and t.strip() and "\n" not in t
                                                      and "\r" not in t)
bad_number = st.sampled_from(["nan", "NaN", "inf", "-inf", "1e999", "-1e999", "-5", "-0.5"]) | not_a_number


def _not_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


def copy(tmp: Path) -> Path:
    root = tmp / "s"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(FIXTURE, root)
    return root


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, table: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def validate(root: Path):
    result = runner.invoke(app, ["validate", str(root / "scenario.yaml")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@SETTINGS
@given(table=st.sampled_from(sorted(NUMERIC)), data=st.data(), value=bad_number)
def test_bad_number_in_a_cell(tmp_path, table, data, value):
    root = copy(tmp_path)
    path = root / "tables" / f"{table}.csv"
    content = rows(path)
    column = data.draw(st.sampled_from(NUMERIC[table]))
    row = data.draw(st.integers(1, len(content) - 1))
    content[row][content[0].index(column)] = value
    write_rows(path, content)
    if column in ("lon", "lat") and value in ("-0.5", "-5"):
        return  # a valid coordinate
    result = validate(root)
    assert result.exit_code == 2, (column, value, result.output)
    assert f"s/tables/{table}.csv row {row + 1}, column {column}:" in result.output


@SETTINGS
@given(table=st.sampled_from(sorted(CHOICES)), data=st.data(), value=st.text(min_size=1, max_size=10))
def test_unknown_choice(tmp_path, table, data, value):
    valid = {"I", "II", "III", "IV", "center", "inner", "outer", "future", "emerging", "traditional",
             "rd", "pilot", "production"}
    if value.strip() in valid or not value.strip() or any(c in value for c in "\r\n"):
        return
    root = copy(tmp_path)
    path = root / "tables" / f"{table}.csv"
    content = rows(path)
    column = CHOICES[table][0]
    row = data.draw(st.integers(1, len(content) - 1))
    content[row][content[0].index(column)] = value
    write_rows(path, content)
    result = validate(root)
    assert result.exit_code == 2
    assert f"s/tables/{table}.csv row {row + 1}, column {column}:" in result.output


@SETTINGS
@given(table=st.sampled_from(sorted(REQUIRED)), data=st.data())
def test_missing_required_column(tmp_path, table, data):
    root = copy(tmp_path)
    path = root / "tables" / f"{table}.csv"
    content = rows(path)
    column = data.draw(st.sampled_from(REQUIRED[table]))
    k = content[0].index(column)
    write_rows(path, [r[:k] + r[k + 1:] for r in content])
    result = validate(root)
    assert result.exit_code == 2
    assert f"s/tables/{table}.csv row 1, column {column}: required column is missing" in result.output


@SETTINGS
@given(table=st.sampled_from(sorted(REQUIRED)), name=st.from_regex(r"[a-z]{3,8}", fullmatch=True))
def test_extra_column(tmp_path, table, name):
    if name.startswith(("cap", "req")) or name in {c for cs in (NUMERIC, CHOICES,
                                                                REQUIRED) for v in cs.values() for c in v}:
        return
    root = copy(tmp_path)
    path = root / "tables" / f"{table}.csv"
    content = rows(path)
    write_rows(path, [r + ([name] if n == 0 else ["1"]) for n, r in enumerate(content)])
    result = validate(root)
    assert result.exit_code == 2
    assert f"s/tables/{table}.csv row 1, column {name}: unknown column" in result.output


@SETTINGS
@given(table=st.sampled_from(sorted(REQUIRED)), cut=st.integers(0, 400), junk=st.binary(min_size=1, max_size=6))
def test_truncated_or_corrupted_table(tmp_path, table, cut, junk):
    root = copy(tmp_path)
    path = root / "tables" / f"{table}.csv"
    data = path.read_bytes()
    path.write_bytes(data[:cut] + junk)
    result = validate(root)
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:
        assert "s/tables/" in result.output or "s/scenario.yaml" in result.output


@SETTINGS
@given(cut=st.integers(0, 300), junk=st.sampled_from(["", ":", "- [", "\t", "{", "name: x\nname: y\n", "\xff"]))
def test_broken_yaml(tmp_path, cut, junk):
    root = copy(tmp_path)
    path = root / "scenario.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes((text[:cut] + junk).encode("utf-8", errors="surrogateescape"))
    result = validate(root)
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:
        assert "s/scenario.yaml" in result.output


def test_empty_files(tmp_path):
    for name in ["scenario.yaml", "tables/regions.csv", "tables/functions.csv"]:
        root = copy(tmp_path)
        (root / name).write_bytes(b"")
        result = validate(root)
        assert result.exit_code == 2 and f"s/{name}" in result.output, result.output


def test_chinese_in_the_wrong_encoding(tmp_path):
    root = copy(tmp_path)
    path = root / "tables" / "industries.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    result = validate(root)
    assert result.exit_code == 2
    assert "s/tables/industries.csv: is not UTF-8 text (line 2" in result.output


def test_duplicate_ids_and_keys(tmp_path):
    root = copy(tmp_path)
    path = root / "tables" / "industries.csv"
    content = rows(path)
    write_rows(path, content + [content[1]])
    result = validate(root)
    assert result.exit_code == 2
    assert "s/tables/industries.csv row 4, column id: 'ai' is already used in row 2" in result.output

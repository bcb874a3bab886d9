"""Tables and numbers for print (issue 19, item 3): one HTML table writer, numbers formatted for people."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.formatting import number, percent, seconds
from planner.maps.markup import TABLE_CSS, html_table


@pytest.mark.parametrize(("fraction", "shown"), [(4.05413e-05, "0.0041 %"), (4.05413e-07, "0.000041 %"),
                                                 (5.8e-16, "0.00 %"), (0.0047, "0.47 %"), (0.0, "0.00 %"),
                                                 (0.12345, "12.35 %"), (12.5, "1,250.00 %"), (None, "-")])
def test_a_gap_reads_as_a_percentage(fraction: float | None, shown: str) -> None:
    assert percent(fraction) == shown


@pytest.mark.parametrize(("value", "shown"), [(143.82345, "143.82"), (0.36012, "0.36"), (0.042131, "0.042"),
                                              (0.0, "0.00"), (12345.678, "12,345.68"), (float("nan"), "-")])
def test_seconds_read_with_two_decimals(value: float, shown: str) -> None:
    assert seconds(value) == shown


def test_numbers_right_text_left_each_escaped() -> None:
    frame = pd.DataFrame({"site": ["<b>x</b>", "SH-Putuo"], "objective": [310780.667, 1234.5], "n": [3, 1200],
                          "gap": [4.05413e-05, None], "note": ["", "ok"]})
    table = html_table(frame, formats={"gap": percent})
    assert '<th>site</th><th class="num">objective</th><th class="num">n</th><th class="num">gap</th><th>note</th>' \
        in table
    assert ('<tr><td>&lt;b&gt;x&lt;/b&gt;</td><td class="num">310,780.67</td><td class="num">3</td>'
            '<td class="num">0.0041 %</td><td></td></tr>') in table
    assert '<td class="num">1,200</td><td class="num">–</td><td>ok</td>' in table
    assert number(310780.667, 2) == "310,780.67"


def test_tables_fit_an_a4_page() -> None:
    assert "@page { size: A4" in TABLE_CSS and "@media print" in TABLE_CSS
    print_rules = TABLE_CSS[TABLE_CSS.index("@media print"):]
    assert "width: 100%" in print_rules and "anywhere" not in print_rules  # words and numbers kept whole
    assert "table.data td.num { white-space: nowrap; }" in TABLE_CSS and "white-space: normal" not in print_rules

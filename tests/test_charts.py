from ctpat.charts import Series, bar_chart, line_chart


def test_bars_scale_to_the_largest_value() -> None:
    chart = bar_chart("Exams", ["Tier 1", "None"], [Series("rate", [2.0, 8.0])], unit="%")
    heights = [b.height for b in chart.bars]
    assert heights[1] == 4 * heights[0]
    assert chart.rows == [("Tier 1", [2.0]), ("None", [8.0])]


def test_lines_have_a_point_per_label_and_survive_all_zero_data() -> None:
    chart = line_chart("Trend", ["Jan", "Feb", "Mar"], [Series("a", [0, 0, 0]), Series("b", [1, 2, 3])])
    assert [len(points.split()) for _name, _colour, points in chart.lines] == [3, 3]
    assert chart.legend[1][0] == "b"

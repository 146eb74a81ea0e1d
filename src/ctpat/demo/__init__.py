"""Demo data: a repeatable, realistic program to click through (``ctpat manage demo_data``)."""

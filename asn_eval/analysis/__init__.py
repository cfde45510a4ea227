"""Stage 3, analysis: what a fair evaluation must see, on scored results.

``fairness`` (lenient and severe raters, agreement, source gaps, supervisors), ``development``
(training needs, recognition, coaching, 9-box), ``trends`` (between quarters, after feedback),
``service`` (IKM beside behaviour, the activity log), ``run`` (every analysis at once, findings in
words, the analysis workbook).
"""

"""Stage 4, reporting: documents built from one scored city.

``results`` (:class:`~asn_eval.reporting.results.CityResults`, what a batch and the app read),
``text`` (the catalogue of words), ``sections`` (a section as HTML), ``figures`` (seaborn),
``agency`` (the OPD report), ``overview`` (the city overview), ``document`` (their cover and
signature block), ``roster`` (the OPD's list of employees), ``method`` (the method appendix
written from the scheme), ``workbook`` and ``scored`` (``hasil.xlsx`` and the files
``asn-eval score`` writes).
"""

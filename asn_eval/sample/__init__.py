"""The sample city: a generator (``generator``) and its catalogues as data files (``catalogue/``)."""

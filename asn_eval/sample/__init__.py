"""The sample city: a fictional kota with every table of the input contract.

``generator``  the public entry points: ``generate``, ``write_sample``, ``SampleCity``
``world``      the cities, employees' latent traits, planted facts and the static tables
``city``       one city's structure: OPD, units, posts and the supervisor chain
``people``     who the employees are (status, dates, NIP, golongan, names) and who rates whom
``facts``      the fact tables, chunk by chunk: skp, perilaku, kehadiran, aktivitas, penilaian
``workbook``   the sample as one Excel workbook in the style of an e-Kinerja export
``catalogue``  reads the data files below into the constants the other modules use
``codes``      the small integer codes of the generator's arrays, and its random streams
``catalogue/`` the catalogues as data: OPD template, jabatan, RHK, activities, feedback, names
"""

"""Interchange: importing and exporting an organisation's register in open formats.

Importers and exporters are registered per format in :mod:`regie.interchange.registry`;
callers use :func:`regie.interchange.services.import_file` and
:func:`regie.interchange.services.export_organisation`.
"""

"""Registry import and export in the GUI: the import wizard (导入向导) and the export dialog (导出).

Both call the Qt-free service in :mod:`app.io`; long work runs off the GUI thread through
:func:`ui.jobs.run_with_progress`.
"""

# nbconvert settings for NotebookExecutionIT: the cell tagged "interrupt" loops forever and is interrupted
# by nbclient after 3 s (interrupt_on_timeout, as a user pressing Stop); every other cell gets 120 s.
c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
c.ExecutePreprocessor.timeout_func = lambda cell: 3 if "interrupt" in cell.metadata.get("tags", []) else 120
c.ExecutePreprocessor.interrupt_on_timeout = True

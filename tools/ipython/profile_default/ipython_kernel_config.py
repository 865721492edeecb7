"""Kernel settings for building the book and running nbmake.

TensorFlow's C++ runtime writes start-up lines (``absl::InitializeLog``,
``oneDNN custom operations``, ``cpu_feature_guard`` ...) straight to file
descriptor 2, and ``TF_CPP_MIN_LOG_LEVEL`` does not silence all of them.
ipykernel normally forwards that descriptor into the cell output, so the
lines would end up in the HTML book. With fd capture off they go to the
build log instead. Python-level output (``print``, ``warnings``) is still
captured as usual, so warnings a reader should see stay visible.

The Makefile points ``IPYTHONDIR`` here.
"""

c = get_config()  # noqa: F821  (provided by IPython's config loader)
c.IPKernelApp.capture_fd_output = False

"""The version of the fastmva Python package.

It must equal the version of the loaded libfastmva (FASTMVA_VERSION_NUMBER in include/fastmva.h,
MAJOR*10000 + MINOR*100 + PATCH); fastmva._lib refuses to load a library of another version.
"""

__version__ = "0.1.0"

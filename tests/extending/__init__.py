"""The examples of docs/extending.md: a source format, a scorer and a channel, each one module (tested in
tests/test_extending.py, where each is added to its registry with the one line the doc shows)."""

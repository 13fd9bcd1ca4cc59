"""A client's data as a whole: the export of everything held about them, and erasure
with its retention. It reads and clears every app's records, so it sits above them all."""

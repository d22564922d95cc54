"""The curator's desk: articles in (feed), kept (store), their figures found (extract), reviewed into the record (curate), and the extractor measured (evaluate)."""

"""The document library staff manage from the console: uploaded files, metadata overrides and a change log
(`store`), what an upload would add (`preview`, `diff`), and publishing it into the live index (`publish`,
`follow` for replicas). No web framework here: the routes are in server/routes/library.py."""

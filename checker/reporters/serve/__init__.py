"""The workbench's pages (`shingikai serve`): the page itself and the report as the browser shows it live."""

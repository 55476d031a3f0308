"""Link health: checking the catalog's addresses and remembering what was found. Free of Textual and Rich."""

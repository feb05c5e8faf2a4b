"""The stages of an ingestion run, one module each, all resumable and keyed by the run's id.

Stages hand work to each other through warehouse tables (`run_articles`,
`raw_responses`, `staged_articles`), so a retried task picks up where it stopped and
XCom only ever carries ids and counts. `newswire.stages.run` strings them together.
"""

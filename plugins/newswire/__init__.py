"""newswire: TASS coverage ingested into a PostgreSQL warehouse.

The package is plain Python (no Airflow import) so every stage can be run and tested
alone; the DAGs in ``dags/`` only wire these functions into tasks.
"""

__version__ = "0.1.0"

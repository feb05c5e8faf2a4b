# The native Airflow stack (the same components as docker-compose.yml, on this machine).
# Included from the Makefile, which exports AIRFLOW_HOME, the DAG and plugin folders and
# PYTHONPATH. Settings: AIRFLOW_API_PORT (8080, or a free port when taken),
# AIRFLOW_ADMIN_USER / AIRFLOW_ADMIN_PASSWORD (admin / admin), AIRFLOW_DB_URL (empty: the
# embedded Postgres), AIRFLOW_CELERY_BROKER_URL (a Redis URL: when a Redis answers there,
# CeleryExecutor + one worker; else LocalExecutor), AIRFLOW_CELERY_WORKER_CONCURRENCY (4).
# `make airflow-worker` adds one more Celery worker in the foreground (Celery stacks only).
# `make airflow-up` reads .env (variables set in the shell or on the make command line
# win, e.g. `make airflow-up TASS_BASE_URL=http://127.0.0.1:8089`), asks before unpausing
# the DAGs (UNPAUSE=yes|no decides without asking); `make airflow-demo` also starts the
# local test site (tass.com and tass.ru) and points the stack at it.
.PHONY: airflow-up airflow-demo airflow-down airflow-status airflow-worker

airflow-up: install
	$(PY) -m devtools.stack up

airflow-demo: install
	$(PY) -m devtools.stack demo

airflow-down:
	$(PY) -m devtools.stack down

airflow-status:
	$(PY) -m devtools.stack status

airflow-worker:
	$(PY) -m devtools.stack worker

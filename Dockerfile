# The newswire image: the official Airflow image plus this project's locked dependencies
# and its library, so every Airflow component runs the same code as the tests.
FROM apache/airflow:3.3.2

# The lock pins apache-airflow at the image's version and the Celery and Postgres providers
# (with celery, kombu and the redis client) at the versions the tests run, so the image's
# workers run exactly what the native stack's do, plus what the library needs.
COPY --chown=airflow:root requirements.lock /opt/newswire/requirements.lock
RUN pip install --no-cache-dir -r /opt/newswire/requirements.lock

# The library is imported from plugins/ (PYTHONPATH; dags/ too, for the triggerer to import
# the deadline callback), and finds its SQL files next to it
# (sql/ beside plugins/), exactly as in a checkout; compose mounts the same folders over
# these copies in development.
COPY --chown=airflow:root plugins /opt/airflow/plugins
COPY --chown=airflow:root sql /opt/airflow/sql
COPY --chown=airflow:root dags /opt/airflow/dags
ENV PYTHONPATH=/opt/airflow/plugins:/opt/airflow/dags

"""Operations helpers without Airflow imports: fetch batch planning and the native stack."""

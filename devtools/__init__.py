"""Development tools that live beside the library, not inside it (the native Airflow stack)."""

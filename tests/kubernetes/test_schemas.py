"""Every rendered object against its schema, offline and pinned: the Kubernetes API's JSON schemas
(kubernetes-validate, strict: an unknown field is an error) and KEDA's ScaledObject CRD (the
cloudcoil-models-keda models, generated from KEDA 2.16's CRDs)."""

import copy

import kubernetes_validate
import pytest
from cloudcoil.models.keda.v1alpha1 import ScaledObject
from pydantic import ValidationError

# The oldest Kubernetes release the manifests promise to work on.
KUBERNETES_VERSION = "1.31.0"


def validate_kubernetes(obj: dict) -> None:
    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def validate_keda(obj: dict) -> None:
    """Types and required fields from the CRD; a field the CRD lacks is dropped by the model,
    so a round trip that loses anything means an unknown (misspelt) field."""
    model = ScaledObject.model_validate(obj)
    assert model.model_dump(by_alias=True, exclude_unset=True, mode="json") == obj, (
        "a field the ScaledObject CRD does not know"
    )


def test_every_kubernetes_object_validates_against_the_api_schemas(rendered):
    kinds = set()
    for obj in rendered.objects:
        if obj["apiVersion"].startswith("keda.sh/"):
            continue
        validate_kubernetes(obj)
        kinds.add(obj["kind"])
    assert {"Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "Job"} <= kinds


def test_every_scaled_object_validates_against_the_keda_crd(rendered):
    scaled = rendered.of_kind("ScaledObject")
    assert scaled
    for obj in scaled:
        assert obj["apiVersion"] == "keda.sh/v1alpha1"
        validate_keda(obj)


def test_the_kubernetes_check_refuses_a_misspelt_field(rendered):
    deployment = copy.deepcopy(rendered.deployment("intake"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        validate_kubernetes(deployment)


@pytest.mark.parametrize(
    ("field", "value"),
    [("maxReplicaCount", "six"), ("maxReplicasCount", 6), ("triggers", [{"type": "kafka"}])],
)
def test_the_keda_check_refuses_a_wrong_type_a_misspelt_field_and_a_missing_one(
    rendered, field, value
):
    scaled = copy.deepcopy(rendered.named("ScaledObject", "idpro-intake"))
    scaled["spec"][field] = value
    with pytest.raises((ValidationError, AssertionError)):
        validate_keda(scaled)

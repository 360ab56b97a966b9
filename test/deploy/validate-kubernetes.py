"""Validates Kubernetes objects against the API schemas bundled in the
kubernetes-validate package (PyPI), offline and strictly (unknown fields are
errors). Reads a JSON array of objects on stdin, takes the Kubernetes version
as its argument, prints a JSON array of problems (empty when all are valid).
Exit code 3: the package is missing."""
import json
import sys

try:
    import kubernetes_validate
except ImportError:
    print(
        "the Python package kubernetes-validate is not installed; "
        ".ci/run installs it with: python3 -m pip install kubernetes-validate==1.37.0",
        file=sys.stderr,
    )
    sys.exit(3)

version = sys.argv[1]
problems = []
for obj in json.load(sys.stdin):
    name = "%s/%s" % (obj.get("kind"), obj.get("metadata", {}).get("name"))
    try:
        kubernetes_validate.validate(obj, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        where = "/".join(str(part) for part in error.path)
        problems.append("%s: %s (at /%s)" % (name, error.message, where))
    except kubernetes_validate.SchemaNotFoundError as error:
        problems.append("%s: %s" % (name, error.message))
print(json.dumps(problems))

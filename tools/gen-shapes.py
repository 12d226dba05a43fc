#!/usr/bin/env python3
"""Generate model/shapes_data.c from botocore's service models.

crossim validates API input the way the real services do: required members,
types, lengths, ranges, enums and patterns, with the real member names.  Those
facts come from the botocore service models installed on the developer's
machine.  The operations simulated are read from the services' own tables (the
rows of each `static const api_op ops[]` in model/*.c): that table is the one
source of truth for what a service does.  For each service this script writes:

  - its protocol;
  - its wire facts for `crossim serve` (model/wire.c): the JSON target
    prefix and version, the API version, the signing name, the XML namespace,
    and the HTTP status of every error shape of the model;
  - one row per simulated operation (its declared errors, input and output
    shapes, HTTP method, request URI template and success status);
  - one row per input or output shape those operations reach, trimmed of
    documentation (wire names kept: locationName, queryName, flattened);
  - one name-only row per other operation of the AWS API, so that messages can
    say "an AWS operation crossim does not simulate" and suggest near names.

One row per line, in name order, so adding an operation adds its lines and
changes no other.  Run it after adding an operation:

    python3 tools/gen-shapes.py > model/shapes_data.c
"""
import glob, gzip, json, os, re, sys

import botocore

# IAM action prefix -> botocore service directory, for every prefix whose
# operations a table in model/ holds.
BOTOCORE = {
    "sts": "sts", "iam": "iam", "ram": "ram", "kms": "kms", "s3": "s3",
    "sagemaker": "sagemaker", "sso": "sso-admin", "cleanrooms-ml": "cleanroomsml",
    "cleanrooms": "cleanrooms", "ec2": "ec2", "lambda": "lambda",
    "elasticmapreduce": "emr", "cloudtrail": "cloudtrail",
}

KEEP = ("type", "required", "min", "max", "pattern", "enum", "sensitive", "flattened",
        "timestampFormat", "payload")
# Member attributes the wire protocols need, by their short names here.
MEMBER = {"locationName": "ln", "queryName": "qn", "flattened": "fl", "xmlAttribute": "xa",
          "timestampFormat": "tf"}


def simulated(root):
    """prefix -> set of operation names, from the op tables in model/*.c."""
    ops = {}
    for path in sorted(glob.glob(os.path.join(root, "model", "*.c"))):
        text = open(path).read()
        at = text.find("static const api_op ops[]")
        if at < 0:
            continue
        table = text[at:text.index("};", at)]
        for m in re.finditer(r'\{\s*"([a-z0-9-]+):([A-Za-z0-9]+)"', table):
            ops.setdefault(m.group(1), set()).add(m.group(2))
    return ops


def load(svc):
    base = os.path.join(os.path.dirname(botocore.__file__), "data", svc)
    ver = sorted(os.listdir(base))[-1]
    for name in ("service-2.json.gz", "service-2.json"):
        p = os.path.join(base, ver, name)
        if os.path.exists(p):
            op = gzip.open if p.endswith(".gz") else open
            with op(p, "rt") as f:
                return json.load(f)
    raise SystemExit(f"no model for {svc}")


def trim(model, name, out):
    if name in out:
        return
    s = model["shapes"][name]
    t = {k: s[k] for k in KEEP if k in s}
    out[name] = t
    if s["type"] == "structure":
        mem = {}
        for m, ref in s.get("members", {}).items():
            r = {"s": ref["shape"]}
            loc = ref.get("location")
            if loc in ("header", "headers", "querystring", "uri", "statusCode"):
                r["loc"] = loc
            for k, short in MEMBER.items():
                if k in ref:
                    r[short] = ref[k]
            mem[m] = r
            trim(model, ref["shape"], out)
        t["members"] = mem
    elif s["type"] == "list":
        t["member"] = s["member"]["shape"]
        if "locationName" in s["member"]:
            t["mln"] = s["member"]["locationName"]
        trim(model, s["member"]["shape"], out)
    elif s["type"] == "map":
        t["key"] = s["key"]["shape"]
        t["value"] = s["value"]["shape"]
        for side in ("key", "value"):
            if "locationName" in s[side]:
                t[side[0] + "ln"] = s[side]["locationName"]
        trim(model, s["key"]["shape"], out)
        trim(model, s["value"]["shape"], out)


def c_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    ops = simulated(root)
    unknown = sorted(set(ops) - set(BOTOCORE))
    if unknown:
        raise SystemExit(f"no botocore model named for prefixes {unknown} (add them to BOTOCORE)")
    rows = []
    for prefix, svc in BOTOCORE.items():
        if prefix not in ops:
            continue
        model = load(svc)
        md = model["metadata"]
        rows.append(("p", prefix, "", md["protocol"]))
        meta = {"target": md.get("targetPrefix"), "json": md.get("jsonVersion"),
                "version": md["apiVersion"], "signing": md.get("signingName", md["endpointPrefix"]),
                "ns": md.get("xmlNamespace")}
        meta = {k: v for k, v in meta.items() if v is not None}
        # Every error shape of the model: its wire code and HTTP status.
        errs = {}
        for name in sorted(model["shapes"]):
            sh = model["shapes"][name]
            if sh.get("exception"):
                e = sh.get("error", {})
                errs[e.get("code", name)] = e.get("httpStatusCode", 400)
        meta["errors"] = errs
        rows.append(("m", prefix, "", json.dumps(meta, separators=(",", ":"), sort_keys=True)))
        shapes = {}
        for op in sorted(model["operations"]):
            o = model["operations"][op]
            if op not in ops[prefix]:
                rows.append(("n", prefix, op, None))
                continue
            e = {"errors": [x["shape"] for x in o.get("errors", [])]}
            if "input" in o:
                e["in"] = o["input"]["shape"]
                trim(model, o["input"]["shape"], shapes)
            if "output" in o:
                e["out"] = o["output"]["shape"]
                if "resultWrapper" in o["output"]:
                    e["wrap"] = o["output"]["resultWrapper"]
                trim(model, o["output"]["shape"], shapes)
            http = o.get("http", {})
            e["http"] = [http.get("method", "POST"), http.get("requestUri", "/"),
                         http.get("responseCode", 200)]
            rows.append(("o", prefix, op, json.dumps(e, separators=(",", ":"))))
        missing = sorted(ops[prefix] - set(model["operations"]))
        if missing:
            raise SystemExit(f"{prefix}: {missing} are not operations of the {svc} model")
        for name in sorted(shapes):
            rows.append(("s", prefix, name, json.dumps(shapes[name], separators=(",", ":"))))
    print("/* model/shapes_data.c: GENERATED by tools/gen-shapes.py from botocore's")
    print(" * service models (botocore %s) and the operation tables in model/." % botocore.__version__)
    print(" * Do not edit; rerun the script.  One row per line: 'p' protocol, 'm' wire")
    print(" * facts, 'o' a simulated operation, 'n' another operation's name, 's' a shape. */")
    print('#include "model/shapes.h"\n')
    print("const shapes_row shapes_rows[] = {")
    for kind, prefix, name, body in rows:
        print("    { '%s', %s, %s, %s }," % (kind, c_string(prefix), c_string(name),
                                            c_string(body) if body is not None else "NULL"))
    print("    { 0, NULL, NULL, NULL },")
    print("};")


if __name__ == "__main__":
    main()

"""Exchange of the social map in the Open Referral Human Services Data Specification
(HSDS 3, JSON), so a municipality can share its social map with other systems.

The document is an object with two lists, in the shape of the HSDS API responses:

    {"hsds_version": "3.0", "generator": "Buurtkracht", "exported_at": "...",
     "organizations": [organization, with its "locations" (address, accessibility)],
     "services": [service, with "service_at_locations" (and their "schedules"),
                  "service_areas", "contacts" (with "phones"), "languages"]}

Each organization validates against `schema/organization.json`, each service against
`schema/service.json` (the official schema files, see `schema/README.md`). HSDS has no
place for what Buurtkracht adds (kind, informal, life domains, how to get in), so a
service carries them in an extension object `buurtkracht`, which other systems ignore;
`application_process` and `eligibility_description` say the same in words. The date the
entry was last checked is the service's `assured_date`.

Identifiers are the objects' own UUIDs; sub-objects without one of their own (contact,
phone, language, service area, address, accessibility) get a UUID derived from their
parent's, so an export imported again finds the same objects: export -> import gives the
same social map.

Where things are: `exporting` (the document), `importing` (checking and storing it),
`validation` (the schema files) and `terms` (what both directions share).
"""

from buurtkracht.socialmap.hsds.exporting import export_document
from buurtkracht.socialmap.hsds.importing import (
    ImportError_,
    ImportResult,
    import_document,
    load_document,
)
from buurtkracht.socialmap.hsds.validation import document_errors, schema_errors, validator

__all__ = [
    "ImportError_",
    "ImportResult",
    "document_errors",
    "export_document",
    "import_document",
    "load_document",
    "schema_errors",
    "validator",
]

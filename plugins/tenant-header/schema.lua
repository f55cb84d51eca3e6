local typedefs = require "kong.db.schema.typedefs"

return {
  name = "tenant-header",
  fields = {
    { consumer = typedefs.no_consumer },
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { header_name = typedefs.header_name { required = true, default = "X-Tenant-Id" } },
          { tag_prefix = { type = "string", required = true, default = "tenant:" } },
          { reject_unknown = { type = "boolean", required = true, default = true } },
        },
      },
    },
  },
}

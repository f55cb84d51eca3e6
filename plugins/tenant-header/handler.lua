-- tenant-header: stamps every proxied request with the tenant of the authenticated
-- consumer, so backends never trust a tenant id sent by the client.
local kong = kong

local TenantHeader = {
  PRIORITY = 950, -- after authentication plugins (key-auth 1250, jwt 1450), before request-transformer (801)
  VERSION = "1.0.0",
}

local function tenant_of(consumer, conf)
  if not consumer then
    return nil
  end
  local tags = consumer.tags or {}
  local prefix = conf.tag_prefix
  for _, tag in ipairs(tags) do
    if tag:sub(1, #prefix) == prefix then
      return tag:sub(#prefix + 1)
    end
  end
  return nil
end

function TenantHeader:access(conf)
  -- Never forward a client-supplied value.
  kong.service.request.clear_header(conf.header_name)

  local tenant = tenant_of(kong.client.get_consumer(), conf)
  if tenant then
    kong.service.request.set_header(conf.header_name, tenant)
  elseif conf.reject_unknown then
    return kong.response.exit(403, { message = "no tenant for this consumer" })
  end
end

return TenantHeader

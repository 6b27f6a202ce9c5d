#include "services/service_plan.hpp"

#include <fmt/format.h>

namespace benchctl {

bool refuses_root(ServiceKind kind) {
    return kind == ServiceKind::postgres;
}

bool serves_other_hosts(const ServiceSite& site) {
    return site.address != k_service_loopback;
}

std::string listen_address(const ServiceSite& site) {
    return serves_other_hosts(site) ? "0.0.0.0" : k_service_loopback;
}

std::string url_host(const ServiceSite& site) {
    return site.address.find(':') != std::string::npos ? "[" + site.address + "]" : site.address;
}

ServicePlan plan_service(const ServiceConfig& config, const ServiceSite& site) {
    switch (config.kind) {
        case ServiceKind::postgres:
            return plan_postgres(config, site);
        case ServiceKind::redis:
            return plan_redis(config, site);
        case ServiceKind::nginx:
            return plan_nginx(config, site);
    }
    return {};
}

std::string percent_encode(const std::string& text) {
    std::string encoded;
    for (unsigned char c : text) {
        bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        encoded += unreserved ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
    }
    return encoded;
}

}  // namespace benchctl

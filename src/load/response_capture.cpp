#include "load/response_capture.hpp"

#include <algorithm>
#include <cctype>

namespace benchctl {

void ResponseCapture::begin(const std::vector<CaptureRule>& rules,
                            const std::vector<const JsonPath*>& paths,
                            const std::vector<TextPattern>* patterns) {
    m_rules = &rules;
    m_paths = &paths;
    m_patterns = patterns;
    m_wants_json = !paths.empty();
    m_wants_body = std::any_of(rules.begin(), rules.end(), [](const CaptureRule& rule) {
        return rule.source == CaptureSource::regex;
    });
    on_response_begin();
}

void ResponseCapture::on_response_begin() {
    const std::size_t count = m_rules->size();
    m_header_values.resize(count);
    for (std::string& value : m_header_values)
        value.clear();
    m_header_found.assign(count, false);
    m_header_taking.assign(count, false);
    m_header_name.clear();
    m_in_value = false;
    m_body.clear();
    if (m_wants_json)
        m_json.reset(*m_paths);
}

void ResponseCapture::on_header_name(std::string_view piece) {
    if (m_in_value) {
        // A new header begins: the previous one's value is complete.
        m_in_value = false;
        m_header_name.clear();
        for (std::size_t i = 0; i < m_header_taking.size(); ++i) {
            if (m_header_taking[i]) {
                m_header_taking[i] = false;
                m_header_found[i] = true;
            }
        }
    }
    for (char c : piece)
        m_header_name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
}

void ResponseCapture::on_header_value(std::string_view piece) {
    const std::vector<CaptureRule>& rules = *m_rules;
    if (!m_in_value) {
        m_in_value = true;
        for (std::size_t i = 0; i < rules.size(); ++i) {
            m_header_taking[i] = rules[i].source == CaptureSource::header && !m_header_found[i] &&
                                 rules[i].header == m_header_name;
        }
    }
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (m_header_taking[i])
            m_header_values[i] += piece;
    }
}

void ResponseCapture::on_body(std::string_view piece) {
    if (m_wants_json)
        m_json.feed(piece.data(), piece.size());
    if (m_wants_body && m_body.size() < k_max_body_bytes)
        m_body.append(piece.substr(0, k_max_body_bytes - m_body.size()));
}

bool ResponseCapture::finish(std::vector<CapturedValue>& values, std::string_view& missing) {
    for (std::size_t i = 0; i < m_header_taking.size(); ++i) {
        if (m_header_taking[i])
            m_header_found[i] = true;  // the last header's value ended with the headers
    }
    if (m_wants_json)
        m_json.finish();
    const std::vector<CaptureRule>& rules = *m_rules;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const CaptureRule& rule = rules[i];
        CapturedValue& value = values[rule.slot];
        value.set = false;
        switch (rule.source) {
            case CaptureSource::header:
                if (m_header_found[i]) {
                    value.text.assign(m_header_values[i]);
                    value.json = false;
                    value.set = true;
                }
                break;
            case CaptureSource::json:
                if (m_json.found(rule.json_path)) {
                    value.text.assign(m_json.value(rule.json_path));
                    value.json = m_json.is_json(rule.json_path);
                    value.set = true;
                }
                break;
            case CaptureSource::regex:
                if (auto found = (*m_patterns)[rule.pattern].find(m_body)) {
                    value.text.assign(*found);
                    value.json = false;
                    value.set = true;
                }
                break;
        }
        if (!value.set) {
            missing = rule.name;
            return false;
        }
    }
    return true;
}

}  // namespace benchctl

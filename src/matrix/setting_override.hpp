#pragma once

#include <optional>

#include "matrix/document.hpp"
#include "matrix/matrix_loader.hpp"

namespace benchctl {

class ProblemList;

// Where a --set is named in messages: "--set load.duration=2s" (no line).
SourceLocation override_location(const SettingOverride& setting);

// Turns one --set into a document to lay over the file's top level with merge_documents:
// load.duration=2s gives {load: {duration: "2s"}}. The dotted path must name a setting of the
// schema (services.<name>.<key> and axes.<name> must name a service or axis of `document`);
// otherwise adds a problem at override_location(setting) with "did you mean" and returns
// nullopt.
std::optional<DocNode> override_document(const SettingOverride& setting, const DocNode& document,
                                         ProblemList& problems);

}  // namespace benchctl

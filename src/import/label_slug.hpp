#pragma once

#include <set>
#include <string>

namespace benchctl {

// The axis value name (a part of a cell id and of its file name) for a label read from a
// source: ASCII letters and digits lowercased, '_' kept, every other run of characters one '-',
// at most 64 characters, never empty ("WSGI Gunicorn Gevent" -> "wsgi-gunicorn-gevent").
std::string slug_for_label(const std::string& label);

// slug_for_label, made unique among `taken` with "-2", "-3" ...; the result is added to `taken`.
std::string unique_slug(const std::string& label, std::set<std::string>& taken);

}  // namespace benchctl

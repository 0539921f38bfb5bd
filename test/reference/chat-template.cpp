// llama.cpp's own chat-template application, for the real-model tests: for each
// conversation read from stdin, llama_chat_apply_template with the named
// built-in template (or the model's own with "model"), then the result
// tokenized as llama.cpp's tools do (BOS added, special tokens parsed) and
// detokenized with special tokens shown.
//
// usage: chat-template MODEL.gguf TEMPLATE < conversations
// stdin, per conversation:  <messages>\n  then per message  <role>\n<bytes>\n<content>
// stdout, per conversation: <tokens> <bytes>\n<text>
#include "llama.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

static bool read_line(std::string & line) { return static_cast<bool>(std::getline(std::cin, line)); }

int main(int argc, char ** argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s MODEL.gguf TEMPLATE|model < conversations\n", argv[0]);
        return 2;
    }
    llama_log_set([](ggml_log_level, const char *, void *) {}, nullptr);
    llama_backend_init();
    llama_model_params params = llama_model_default_params();
    params.vocab_only = true;
    llama_model * model = llama_model_load_from_file(argv[1], params);
    if (!model) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    const std::string name = argv[2];
    const char * tmpl = name == "model" ? llama_model_chat_template(model, nullptr) : name.c_str();
    if (!tmpl) {
        fprintf(stderr, "the model has no chat template\n");
        return 1;
    }

    std::string line;
    while (read_line(line)) {
        const int n_messages = std::stoi(line);
        std::vector<std::string> roles(n_messages), contents(n_messages);
        for (int i = 0; i < n_messages; i++) {
            read_line(roles[i]);
            read_line(line);
            contents[i].resize(std::stoul(line));
            std::cin.read(contents[i].data(), static_cast<std::streamsize>(contents[i].size()));
        }
        std::vector<llama_chat_message> chat;
        for (int i = 0; i < n_messages; i++) chat.push_back({roles[i].c_str(), contents[i].c_str()});

        std::vector<char> buf(4096);
        int n = llama_chat_apply_template(tmpl, chat.data(), chat.size(), true, buf.data(), static_cast<int32_t>(buf.size()));
        if (n > static_cast<int>(buf.size())) {
            buf.resize(n);
            n = llama_chat_apply_template(tmpl, chat.data(), chat.size(), true, buf.data(), static_cast<int32_t>(buf.size()));
        }
        if (n < 0) {
            fprintf(stderr, "llama_chat_apply_template failed for template %s\n", name.c_str());
            return 1;
        }
        const std::string applied(buf.data(), n);

        const int n_tokens = -llama_tokenize(vocab, applied.c_str(), static_cast<int32_t>(applied.size()), nullptr, 0, true, true);
        std::vector<llama_token> tokens(n_tokens);
        llama_tokenize(vocab, applied.c_str(), static_cast<int32_t>(applied.size()), tokens.data(), n_tokens, true, true);

        std::vector<char> text(applied.size() * 2 + 64);
        int n_text = llama_detokenize(vocab, tokens.data(), n_tokens, text.data(), static_cast<int32_t>(text.size()), false, true);
        if (n_text < 0) {
            text.resize(-n_text);
            n_text = llama_detokenize(vocab, tokens.data(), n_tokens, text.data(), static_cast<int32_t>(text.size()), false, true);
        }
        printf("%d %d\n", n_tokens, n_text);
        fwrite(text.data(), 1, n_text, stdout);
    }
    llama_model_free(model);
    llama_backend_free();
    return 0;
}

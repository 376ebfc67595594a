/// The Python module an exported classifier carries for the heads transformers has no class for (mean,
/// max or [CLS] pooling, a normalized head, the ordinal head): `AutoModelForSequenceClassification`
/// loads it with `trust_remote_code=True`. It computes what `TextClassifier` computes, and trains with
/// the loss of each `problem_type` as BertForSequenceClassification does.
enum HuggingFaceRemoteCode {
    static let fileName = "modeling_text_transfer.py"
    static let configClass = "TextTransferBertConfig"
    static let modelClass = "TextTransferBertForSequenceClassification"
    static let modelType = "text-transfer-bert"

    static let source = #"""
"""TextTransfer's classifier head over a BERT encoder, for transformers' trust_remote_code.

Written by `text-transfer export --format hf`. Pooling ("mean", "max", "cls" or "pooler") and the
optional L2 normalization of the pooled vector follow the classifier TextTransfer trained; the head is
one linear layer ("ordinal": one shared score plus K-1 thresholds, logit_k = w.h + b_k).
"""
import torch
from torch import nn
from transformers import BertConfig, BertModel, BertPreTrainedModel
from transformers.modeling_outputs import SequenceClassifierOutput


class TextTransferBertConfig(BertConfig):
    model_type = "text-transfer-bert"

    def __init__(self, pooling="mean", normalize=False, head="softmax", **kwargs):
        super().__init__(**kwargs)
        self.pooling = pooling
        self.normalize = normalize
        self.head = head


class TextTransferBertForSequenceClassification(BertPreTrainedModel):
    config_class = TextTransferBertConfig

    def __init__(self, config):
        super().__init__(config)
        self.num_labels = config.num_labels
        self.bert = BertModel(config, add_pooling_layer=config.pooling == "pooler")
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        if config.head == "ordinal":
            self.classifier = nn.Linear(config.hidden_size, 1, bias=False)
            self.thresholds = nn.Parameter(torch.zeros(config.num_labels - 1))
        else:
            self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def pool(self, output, attention_mask):
        states = output.last_hidden_state
        if self.config.pooling == "pooler":
            return output.pooler_output
        if self.config.pooling == "cls":
            return states[:, 0]
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        if self.config.pooling == "max":
            return states.masked_fill(mask == 0, float("-inf")).max(dim=1).values
        return (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, labels=None, **kwargs):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        output = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        pooled = self.pool(output, attention_mask)
        if self.config.normalize:
            pooled = nn.functional.normalize(pooled, p=2.0, dim=-1, eps=1e-12)
        pooled = self.dropout(pooled)
        if self.config.head == "ordinal":
            logits = self.classifier(pooled) + self.thresholds
        else:
            logits = self.classifier(pooled)
        loss = None
        if labels is not None:
            if self.config.head == "ordinal":
                ranks = torch.arange(self.num_labels - 1, device=logits.device)
                loss = nn.functional.binary_cross_entropy_with_logits(logits, (labels.unsqueeze(-1) > ranks).to(logits.dtype))
            elif self.config.problem_type == "regression":
                loss = nn.functional.mse_loss(logits.squeeze(-1), labels.to(logits.dtype))
            elif self.config.problem_type == "multi_label_classification":
                loss = nn.functional.binary_cross_entropy_with_logits(logits, labels.to(logits.dtype))
            else:
                loss = nn.functional.cross_entropy(logits, labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)
"""#
}
